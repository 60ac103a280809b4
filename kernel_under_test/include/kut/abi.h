/* The guest ABI version. The host refuses a guest built against another version. */
#ifndef KUT_ABI_H
#define KUT_ABI_H

#define KUT_ABI_VERSION 1u

#ifdef __cplusplus
extern "C" {
#endif

/* Exported by every guest: the ABI version it was built against. */
unsigned kut_abi_version(void);

#ifdef __cplusplus
}
#endif

#endif
