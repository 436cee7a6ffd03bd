/* The userspace build has IPv4. */
#define INET 1
