/*
 * objects.h: the BPF objects built into the agent (the node program and the End.BPF
 * functions), so the binary and its programs always come from the same sr6_abi.h.
 */
#ifndef SR6_AGENT_OBJECTS_H
#define SR6_AGENT_OBJECTS_H

#include <stddef.h>

/* The ELF bytes of object name ("sr6", "fn_count", ...), or NULL. */
const void *dp_object_bytes(const char *name, size_t *size);

#endif
