/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The daemon's one object: the event loop, the netlink monitors, the timers, the
 * configuration, the tuning session and what the daemon knows of the machine. It reads top
 * to bottom: new, start, the event handlers (devices, drift, the journal, signals), free.
 */
#ifndef NAPITUNE_MANAGER_H
#define NAPITUNE_MANAGER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#include <systemd/sd-event.h>

#include "daemon-config.h"
#include "daemon-state.h"
#include "session.h"

struct monitor;
struct mon_event;
struct observe;

/* Exit status for an invalid configuration or profile: the unit does not restart on it. */
#define NAPITUNE_EXIT_CONFIG 78

enum manager_mode {
	MODE_STARTING,
	MODE_RUNNING,  /* a profile is applied and followed */
	MODE_WATCHING, /* profile: none */
	MODE_PAUSED,   /* napictl revert while the daemon ran: no writes until a reload */
	MODE_FAILED,   /* the last apply failed and was rolled back; retried on events */
	MODE_STOPPING,
	_MODE_MAX,
};

struct mdev {
	int ifindex;
	char name[16];
	unsigned int flags;  /* IFF_* as rtnetlink said last */
	unsigned int stages; /* work pending: bit mask of 1 << enum nt_stage */
	uint64_t since_usec; /* when the first event of the pending work arrived */
	bool verify;	     /* compare its values with the profile */
	bool recreated;	     /* its NAPIs may be new (down/up, channels, rings) */
};

struct drift {
	char *key, *object;
	char *value;   /* what someone else wrote, as seen last */
	bool reported; /* logged, not yet back to the profile's value */
	bool backed_off;
	uint64_t *reasserts; /* CLOCK_MONOTONIC usec of recent reasserts, oldest first */
	size_t n_reasserts;
};

struct manager {
	sd_event *event;
	char *config_path;
	struct nt_daemon_config config;
	struct nt_root *root;
	struct nt_session *session;
	enum manager_mode mode;
	bool adopted; /* the profile enforced is the one napictl applied */

	struct monitor *monitor;
	bool have_ethtool_ntf;
	sd_event_source *rtnl_source, *ethtool_source, *inotify_source;
	sd_event_source *work_timer, *verify_timer, *retry_timer, *publish_timer;
	int inotify_fd;

	struct mdev *dev;
	size_t n_dev;
	bool resync; /* the whole profile is due again (start, lost events, reload) */

	/* "key\tobject" of every value the profile set or found set at the last apply */
	char **owned;
	size_t n_owned;
	struct drift *drift;
	size_t n_drift;

	struct nt_daemon_state st;
	struct stat journal_seen; /* the journal as the daemon itself left it */

	struct observe *observe; /* periodic diagnosis and the metrics file (observe.h) */

	bool test_hooks;		  /* NAPITUNE_TEST_HOOKS=1: SIGUSR2 stalls the loop */
	unsigned int test_write_delay_ms; /* NAPITUNE_TEST_WRITE_DELAY_MS: slow writes */
};

/* Loads the configuration and the profile: -EINVAL (logged) if either is invalid. */
int manager_new(const char *config_path, struct manager **ret);
/* Applies the profile, starts watching, READY=1. */
int manager_start(struct manager *m);
/* The event loop until SIGTERM: its exit status. */
int manager_run(struct manager *m);
struct manager *manager_free(struct manager *m);
DEFINE_TRIVIAL_CLEANUP_FUNC(struct manager *, manager_free);

#endif
