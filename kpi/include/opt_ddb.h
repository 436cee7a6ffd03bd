/* The userspace build has ddb(4): the show mtrace command is tested. */
#define DDB 1
