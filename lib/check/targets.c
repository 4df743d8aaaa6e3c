/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * targets.c - the addresses a check goes to: HOST resolved, or each item
 * of -I's comma-separated list (so that an operator, or a test, can name a
 * pool without DNS). The list is copied into nodes the library owns, so
 * that the lists of several lookups become one, in order and without
 * duplicates.
 */
#include "config.h"

#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "internal.h"

/* An addrinfo and the address it points to, allocated together. */
struct target {
	struct addrinfo ai;
	struct sockaddr_storage addr;
};

static bool already_listed(const struct addrinfo *list,
			   const struct addrinfo *ai)
{
	for (; list != NULL; list = list->ai_next)
		if (list->ai_addrlen == ai->ai_addrlen &&
		    memcmp(list->ai_addr, ai->ai_addr, ai->ai_addrlen) == 0)
			return true;
	return false;
}

/* Appends copies of the addresses of found to the list ending at *tail. */
static bool append_copies(struct addrinfo **head, struct addrinfo ***tail,
			  const struct addrinfo *found)
{
	for (; found != NULL; found = found->ai_next) {
		struct target *t;

		if (found->ai_addrlen > sizeof(t->addr) ||
		    already_listed(*head, found))
			continue;
		t = calloc(1, sizeof(*t));
		if (t == NULL)
			return false;
		t->ai = *found;
		t->ai.ai_canonname = NULL;
		t->ai.ai_next = NULL;
		memcpy(&t->addr, found->ai_addr, found->ai_addrlen);
		t->ai.ai_addr = (struct sockaddr *)&t->addr;
		**tail = &t->ai;
		*tail = &t->ai.ai_next;
	}
	return true;
}

void cos_targets_free(struct addrinfo *list)
{
	while (list != NULL) {
		struct addrinfo *next = list->ai_next;

		/* ai is the first member: the node is the target. */
		free((struct target *)(void *)list);
		list = next;
	}
}

enum cos_status cos_targets_resolve(const struct cos_config *cfg,
				    const struct cos_deadline *d,
				    struct addrinfo **out,
				    struct cos_result *res)
{
	const char *items = cfg->address ? cfg->address : cfg->host;
	const char *port = cos_config_port(cfg);
	struct addrinfo *head = NULL, **tail = &head;

	while (*items != '\0') {
		size_t n = strcspn(items, ",");
		char item[256];
		struct addrinfo *found = NULL;
		bool copied;

		if (n == 0 || n >= sizeof(item)) {
			cos_targets_free(head);
			return cos_fail(res, COS_E_RESOLVE,
					"'%.*s' is not an address", (int)n,
					items);
		}
		memcpy(item, items, n);
		item[n] = '\0';
		items += n + (items[n] == ',');
		if (cos_resolve(item, port, cfg->family, d, &found, res) !=
		    COS_GOOD) {
			cos_targets_free(head);
			return res->status;
		}
		copied = append_copies(&head, &tail, found);
		freeaddrinfo(found);
		if (!copied) {
			cos_targets_free(head);
			return cos_fail(res, COS_E_NOMEM, "resolving %s", item);
		}
	}
	if (head == NULL)
		return cos_fail(res, COS_E_RESOLVE, "no address to connect to");
	*out = head;
	return COS_GOOD;
}
