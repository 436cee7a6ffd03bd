/* The userspace build has IPv6. */
#define INET6 1
