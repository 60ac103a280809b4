/* The guest ABI version. The host refuses a guest built against another version, with a message
 * naming both. Bump it on any change to hal.h or guest.h that is not purely additive at the end of a
 * table (tables carry their size, so appending a member is compatible). */
#ifndef KUT_ABI_H
#define KUT_ABI_H

#define KUT_ABI_VERSION 1u

#endif
