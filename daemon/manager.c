// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * napitune's manager. The profile is applied through the same session as napictl
 * (lib/tune/session.h): journaled originals, read-back, rollback. After that the manager
 * only reacts:
 *   - a device appears or is renamed (RTM_NEWLINK): the profile's device, queue, IRQ and
 *     NAPI settings are applied to it alone;
 *   - a device goes up or down, or its rings or channels are changed by someone else
 *     (ethtool netlink notifications): its NAPIs, IRQs and kthreads are re-resolved and
 *     the profile's settings applied to the new ones (threaded NAPI kthreads are created
 *     anew by `ethtool -G`, and lose their CPUs). Per-NAPI settings (napi-set) survive
 *     this where the driver registers its NAPIs with persistent config
 *     (netif_napi_add_config(), 6.13+; Documentation/networking/napi.rst): then the
 *     read-back finds them in place and nothing is written (counted as kept); elsewhere
 *     the new NAPIs have new ids and the device-wide defaults, and the profile's
 *     per-NAPI values are applied to them again (counted as re-applied);
 *   - a device leaves: its journal records are dropped;
 *   - drift: values that change without a notification are compared with the profile
 *     every verify-interval, the others when their notification comes;
 *   - napictl apply/revert while the daemon runs: the daemon follows what napictl did
 *     (the journal changed under it);
 *   - SIGHUP reloads, SIGTERM reverts (or keeps) and exits.
 * Everything happens on the event loop's thread, and the watchdog is fed from the loop.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "fs.h"
#include "log.h"
#include "manager.h"
#include "monitor.h"
#include "observe.h"
#include "parse-util.h"
#include "string-table.h"
#include "topo.h"

#define USEC_PER_MSEC 1000ull
#define USEC_PER_SEC  1000000ull
/* How long to wait for a napictl that holds the journal's lock before trying again. */
#define RETRY_USEC (200 * USEC_PER_MSEC)

#define DEVICE_STAGES                                                                              \
	((1u << NT_STAGE_CHANNELS) | (1u << NT_STAGE_RINGS) | (1u << NT_STAGE_RSS) |               \
	 (1u << NT_STAGE_FEATURES) | (1u << NT_STAGE_COALESCE) | (1u << NT_STAGE_DEVSYSFS) |       \
	 (1u << NT_STAGE_NAPI) | (1u << NT_STAGE_QUEUE) | (1u << NT_STAGE_IRQ) |                   \
	 (1u << NT_STAGE_KTHREAD))
/*
 * What a device's new NAPIs, queues, IRQs and kthreads need (channels, rings, up/down); the
 * device files too: "threaded" can only be set once the device has NAPI instances.
 */
#define RERESOLVE_STAGES                                                                           \
	((1u << NT_STAGE_DEVSYSFS) | (1u << NT_STAGE_NAPI) | (1u << NT_STAGE_QUEUE) |              \
	 (1u << NT_STAGE_IRQ) | (1u << NT_STAGE_KTHREAD))

static const char *const mode_table[_MODE_MAX] = {
	[MODE_STARTING] = "starting", [MODE_RUNNING] = "running", [MODE_WATCHING] = "watching",
	[MODE_PAUSED] = "paused",     [MODE_FAILED] = "failed",	  [MODE_STOPPING] = "stopping",
};

DEFINE_PRIVATE_STRING_TABLE_LOOKUP(mode, enum manager_mode);

static uint64_t now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * USEC_PER_SEC + (uint64_t)ts.tv_nsec / 1000;
}

static bool have_profile(const struct manager *m)
{
	return m->session->profile != NULL;
}

/* ---- what everyone else sees: STATUS=, the state file ---- */

static void set_str(char **dst, const char *s)
{
	char *n = strdup(s ?: "");

	if (n) {
		free(*dst);
		*dst = n;
	}
}

static void journal_stat(struct manager *m)
{
	if (fstatat(nt_root_fd(m->root), NT_JOURNAL_FILE, &m->journal_seen, 0) < 0)
		m->journal_seen = (struct stat){};
}

/* The device of an owned entry ("key\tdevice ..."), its length in *len. */
static const char *owned_dev(const char *o, size_t *len)
{
	o = strchr(o, '\t') + 1;
	*len = strcspn(o, " ");
	return o;
}

static int cmp_owned_dev(const void *a, const void *b)
{
	size_t la, lb;
	const char *x = owned_dev(*(char *const *)a, &la), *y = owned_dev(*(char *const *)b, &lb);
	int c = strncmp(x, y, la < lb ? la : lb);

	return c ?: (la > lb) - (la < lb);
}

/*
 * Devices with a value the profile owns (not "global"): distinct devices of the owned
 * entries, sorted (a machine may have thousands of owned values).
 */
static unsigned int owned_devices(const struct manager *m)
{
	_cleanup_free_ char **v = NULL;
	unsigned int n = 0;

	if (!m->n_owned)
		return 0;
	v = malloc(m->n_owned * sizeof(*v));
	if (!v)
		return 0;
	memcpy(v, m->owned, m->n_owned * sizeof(*v));
	qsort(v, m->n_owned, sizeof(*v), cmp_owned_dev);
	for (size_t i = 0; i < m->n_owned; i++) {
		size_t len;
		const char *o = owned_dev(v[i], &len);

		if (len == 6 && strncmp(o, "global", 6) == 0)
			continue;
		n += i == 0 || cmp_owned_dev(&v[i - 1], &v[i]) != 0;
	}
	return n;
}

static void publish(struct manager *m)
{
	_cleanup_(nt_journal_freep) struct nt_journal *j = NULL;
	const struct nt_profile *p = m->session->profile;
	char status[300];
	int r;

	if (nt_journal_open(m->root, false, &j, NULL) >= 0)
		(void)nt_daemon_state_set_changes(&m->st, j);
	m->st.changed = m->st.n;
	m->st.devices = owned_devices(m);
	switch (m->mode) {
	case MODE_WATCHING:
		snprintf(status, sizeof(status), "no profile (profile: none): watching only");
		break;
	case MODE_PAUSED:
		snprintf(status, sizeof(status),
			 "paused: napictl reverted the profile; 'systemctl reload napitune' "
			 "applies %s again",
			 p ? p->name : "it");
		break;
	default:
		snprintf(status, sizeof(status),
			 "%s%s: %s; %" PRIu64 " devices, %" PRIu64 " values changed, %" PRIu64
			 " unsupported here; drift: %s",
			 p ? p->name : "?", m->adopted ? " (applied by napictl)" : "",
			 m->st.last_result ?: mode_to_string(m->mode), m->st.devices, m->st.changed,
			 m->st.unsupported, nt_drift_policy_to_string(m->config.drift));
		break;
	}
	set_str(&m->st.status, status);
	set_str(&m->st.state, mode_to_string(m->mode));
	set_str(&m->st.profile, p ? p->name : "none");
	set_str(&m->st.profile_path, p ? p->path : "");
	m->st.adopted = m->adopted;
	r = nt_daemon_state_write(m->root, &m->st);
	if (r < 0)
		log_warning_errno(r, "cannot write /%s: %m, ignoring", NT_DAEMON_STATE_FILE);
	(void)sd_notifyf(false, "STATUS=%s", status);
}

/*
 * After a device pass: STATUS= and the state file within PUBLISH_USEC, once for a burst of
 * devices (each publish reads the journal), so the next device's event is not kept waiting.
 */
#define PUBLISH_USEC (20 * USEC_PER_MSEC)

static void publish_later(struct manager *m)
{
	int on = SD_EVENT_OFF;

	(void)sd_event_source_get_enabled(m->publish_timer, &on);
	if (on != SD_EVENT_OFF)
		return;
	(void)sd_event_source_set_time_relative(m->publish_timer, PUBLISH_USEC);
	(void)sd_event_source_set_enabled(m->publish_timer, SD_EVENT_ONESHOT);
}

static int on_publish(sd_event_source *s _unused_, uint64_t usec _unused_, void *userdata)
{
	publish(userdata);
	return 0;
}

/* ---- the values the profile owns ---- */

static char *owned_key(const char *key, const char *object)
{
	char *s;

	return asprintf(&s, "%s\t%s", key, object) < 0 ? NULL : s;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool owned(const struct manager *m, const char *key, const char *object)
{
	_cleanup_free_ char *k = owned_key(key, object);

	return k && m->n_owned &&
	       bsearch(&k, m->owned, m->n_owned, sizeof(char *), cmp_str) != NULL;
}

static void owned_clear(struct manager *m)
{
	for (size_t i = 0; i < m->n_owned; i++)
		free(m->owned[i]);
	free(m->owned);
	m->owned = NULL;
	m->n_owned = 0;
}

/* Adds what @done set or found set (with @replace: instead of what was owned). */
static void owned_take(struct manager *m, const struct nt_plan *done, bool replace)
{
	if (replace)
		owned_clear(m);
	for (size_t i = 0; i < done->n; i++) {
		const struct nt_change *c = &done->c[i];
		char **v, *k;

		if (!(c->state == NT_CHANGE_SAME ||
		      (c->state == NT_CHANGE_SET && c->result == NT_RESULT_WRITTEN)) ||
		    owned(m, c->key, c->object))
			continue;
		k = owned_key(c->key, c->object);
		v = k ? realloc(m->owned, (m->n_owned + 1) * sizeof(*v)) : NULL;
		if (!v) {
			free(k);
			continue;
		}
		m->owned = v;
		v[m->n_owned++] = k;
	}
	if (m->n_owned)
		qsort(m->owned, m->n_owned, sizeof(char *), cmp_str);
}

static bool object_of(const char *owned_key, const char *dev)
{
	const char *o = strchr(owned_key, '\t') + 1;
	size_t l = strlen(dev);

	return strncmp(o, dev, l) == 0 && (!o[l] || o[l] == ' ');
}

/* A device left (its values are nobody's now) or was renamed (they follow it). */
static void owned_device(struct manager *m, const char *dev, const char *new_name)
{
	size_t keep = 0;

	for (size_t i = 0; i < m->n_owned; i++) {
		char *k = m->owned[i];

		if (object_of(k, dev)) {
			const char *o = strchr(k, '\t') + 1;
			char *n = NULL;

			if (new_name && asprintf(&n, "%.*s%s%s", (int)(o - k), k, new_name,
						 o + strlen(dev)) < 0)
				n = NULL;
			free(k);
			if (!n)
				continue;
			k = n;
		}
		m->owned[keep++] = k;
	}
	m->n_owned = keep;
	if (m->n_owned)
		qsort(m->owned, m->n_owned, sizeof(char *), cmp_str);
}

/* ---- drift bookkeeping ---- */

static struct drift *drift_find(struct manager *m, const char *key, const char *object)
{
	for (size_t i = 0; i < m->n_drift; i++)
		if (streq(m->drift[i].key, key) && streq(m->drift[i].object, object))
			return &m->drift[i];
	return NULL;
}

static void drift_done(struct drift *d)
{
	free(d->key);
	free(d->object);
	free(d->value);
	free(d->reasserts);
}

static void drift_clear(struct manager *m)
{
	for (size_t i = 0; i < m->n_drift; i++)
		drift_done(&m->drift[i]);
	free(m->drift);
	m->drift = NULL;
	m->n_drift = 0;
}

static struct drift *drift_get(struct manager *m, const char *key, const char *object)
{
	struct drift *d = drift_find(m, key, object);

	if (d)
		return d;
	d = realloc(m->drift, (m->n_drift + 1) * sizeof(*d));
	if (!d)
		return NULL;
	m->drift = d;
	d = &m->drift[m->n_drift];
	*d = (struct drift){.key = strdup(key), .object = strdup(object)};
	if (!d->key || !d->object) {
		drift_done(d);
		return NULL;
	}
	m->n_drift++;
	return d;
}

/* Writes leave alone what the daemon stopped fighting over. */
static bool want_not_backed_off(void *userdata, const struct nt_change *c)
{
	struct manager *m = userdata;
	struct drift *d = drift_find(m, c->key, c->object);

	return !d || !d->backed_off;
}

/* Test hook: every write waits (so a test can kill the daemon in the middle of an apply). */
static int slow_write(void *userdata, unsigned int step _unused_,
		      const struct nt_change *c _unused_)
{
	const struct manager *m = userdata;

	if (m->test_write_delay_ms)
		(void)usleep(m->test_write_delay_ms * 1000);
	return 0;
}

/* ---- applying ---- */

/* Profile and plan messages: errors as errors, warnings (their "warning: " dropped) as warnings. */
static void log_msgs(const struct nt_msgs *msgs)
{
	for (size_t i = 0; i < msgs->n; i++) {
		const char *msg = msgs->msg[i], *w = strstr(msg, "warning: ");

		if (!msgs->is_error[i] && w)
			nt_log_fields(LOG_WARNING, 0, NULL, "%.*s%s", (int)(w - msg), msg,
				      w + strlen("warning: "));
		else
			nt_log_fields(msgs->is_error[i] ? LOG_ERR : LOG_WARNING, 0, NULL, "%s",
				      msg);
	}
}

static void log_failures(const struct nt_plan *done)
{
	log_msgs(&done->msgs);
	for (size_t i = 0; i < done->n; i++) {
		const struct nt_change *c = &done->c[i];

		if (c->result == NT_RESULT_FAILED || c->result == NT_RESULT_ROLLBACK_FAILED)
			log_error("%s %s: %s", c->object, c->key, c->error ?: "failed");
	}
}

static void count_done(struct manager *m, const struct nt_plan *done, size_t *ret_written)
{
	size_t written = 0;

	m->st.unsupported = nt_plan_count(done, NT_CHANGE_UNSUPPORTED);
	for (size_t i = 0; i < done->n; i++)
		if (done->c[i].result == NT_RESULT_WRITTEN)
			written++;
	*ret_written = written;
}

static bool journal_changed(struct manager *m);

static void schedule_retry(struct manager *m)
{
	(void)sd_event_source_set_time_relative(m->retry_timer, RETRY_USEC);
	(void)sd_event_source_set_enabled(m->retry_timer, SD_EVENT_ONESHOT);
}

/*
 * The whole profile (start, lost events, reload, a failed apply retried). -EBUSY when
 * napictl holds the journal: tried again shortly.
 */
static int apply_all(struct manager *m, const char *why)
{
	struct nt_apply_opts opts = {.want = want_not_backed_off, .userdata = m};
	struct nt_plan plan = {}, done = {};
	struct nt_err e = {}, we = {};
	uint64_t t0 = now_usec();
	size_t written, n_msgs = 0;
	int r, rw = 0;

	if (!have_profile(m) || m->mode == MODE_PAUSED || m->mode == MODE_STOPPING)
		return 0;
	if (m->test_write_delay_ms)
		opts.before_write = slow_write;
	r = nt_session_plan(m->session, &plan, &e);
	n_msgs = plan.msgs.n;
	if (r >= 0) {
		/* who else writes these values: warned once per whole apply, below */
		rw = nt_session_writers(m->session, &plan, &we);
		r = nt_session_apply_for(m->session, &plan, &opts, &done, &e);
	}
	journal_stat(m);
	if (r == -EBUSY && !done.n) {
		log_notice("%s, trying again", nt_err_msg(&e, r));
		m->resync = true;
		schedule_retry(m);
		nt_plan_done(&plan);
		nt_plan_done(&done);
		return r;
	}
	m->resync = false;
	if (rw < 0)
		log_warning("%s, ignoring", nt_err_msg(&we, rw));
	for (size_t i = n_msgs; i < plan.msgs.n; i++)
		log_warning("%s", plan.msgs.msg[i]);
	m->st.last_apply = time(NULL);
	log_failures(r < 0 && !done.n ? &plan : &done);
	if (r < 0) {
		set_str(&m->st.last_result, nt_err_msg(&e, r));
		if (done.n)
			set_str(&m->st.last_result, "apply failed and was rolled back");
		log_error_errno(r, "%s: cannot apply profile %s (%s): %s", why,
				m->session->profile->name,
				done.n ? "rolled back" : "nothing changed", nt_err_msg(&e, r));
		m->mode = MODE_FAILED;
	} else {
		count_done(m, &done, &written);
		owned_take(m, &done, true);
		set_str(&m->st.last_result, "ok");
		log_info("%s: profile %s applied in %llu ms: %zu values changed, %zu already set, "
			 "%" PRIu64 " unsupported here",
			 why, m->session->profile->name,
			 (unsigned long long)((now_usec() - t0) / USEC_PER_MSEC), written,
			 nt_plan_count(&done, NT_CHANGE_SAME), m->st.unsupported);
		m->mode = MODE_RUNNING;
	}
	nt_plan_done(&plan);
	nt_plan_done(&done);
	return r;
}

/*
 * A re-created device's NAPIs against the profile's per-NAPI keys (the changes of the NAPI
 * stage: napi-set, or the device files they fall back to), from the device's plan: no
 * extra read. *ret_lost: values not in place (new NAPIs with defaults); *ret_kept: in
 * place. Both 0: the profile has no per-NAPI key the device can take, or it has no NAPIs
 * right now (down).
 */
static void napi_settings_seen(const struct nt_plan *plan, size_t *ret_lost, size_t *ret_kept)
{
	*ret_lost = *ret_kept = 0;
	for (size_t i = 0; i < plan->n; i++) {
		if (plan->c[i].stage != NT_STAGE_NAPI)
			continue;
		*ret_lost += plan->c[i].state == NT_CHANGE_SET;
		*ret_kept += plan->c[i].state == NT_CHANGE_SAME;
	}
}

/*
 * Whether the profile's per-NAPI values (napi-set) were in place on NAPIs of @dev: only
 * then is a re-creation judged (a device's first NAPIs are tuned, not re-tuned).
 */
static bool owned_napi_settings(const struct manager *m, const char *dev)
{
	size_t l = strlen(dev);

	for (size_t i = 0; i < m->n_owned; i++) {
		const char *k = m->owned[i], *o = strchr(k, '\t') + 1;
		const struct nt_knob *kn;
		_cleanup_free_ char *key = strndup(k, (size_t)(o - 1 - k));

		if (strncmp(o, dev, l) != 0 || strncmp(o + l, " napi ", 6) != 0 || !key)
			continue;
		kn = nt_knob_lookup(key);
		if (kn && kn->fam == NT_FAM_NAPI)
			return true;
	}
	return false;
}

/*
 * The owned values of NAPIs of @dev that @plan (of the NAPI and kthread stages) no longer
 * has: NAPIs deleted with their ids (re-created without persistent config).
 */
static void owned_prune_napis(struct manager *m, const char *dev, const struct nt_plan *plan)
{
	size_t keep = 0, l = strlen(dev);

	for (size_t i = 0; i < m->n_owned; i++) {
		char *k = m->owned[i];
		const char *o = strchr(k, '\t') + 1;
		bool stale = strncmp(o, dev, l) == 0 && strncmp(o + l, " napi ", 6) == 0;

		for (size_t j = 0; stale && j < plan->n; j++)
			stale = !streq(plan->c[j].object, o);
		if (stale) {
			free(k);
			continue;
		}
		m->owned[keep++] = k;
	}
	m->n_owned = keep; /* still sorted */
}

/*
 * The NAPI ids of the NAPI stage of @plan, space-separated, into @buf: those of its first
 * per-NAPI key (the plan has one change per key and NAPI).
 */
static void napi_ids(const struct nt_plan *plan, char *buf, size_t size)
{
	const char *key = NULL;
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < plan->n && used < size; i++) {
		const struct nt_change *c = &plan->c[i];

		if (c->stage != NT_STAGE_NAPI || !c->knob || c->knob->scope != NT_SCOPE_NAPI ||
		    (key && !streq(key, c->key)))
			continue;
		key = c->key;
		used += (size_t)snprintf(buf + used, size - used, "%s%u", used ? " " : "",
					 c->t.index);
	}
}

/* One device's pending stages. 0 done (or the device is gone), -EBUSY try again. */
static int apply_device(struct manager *m, struct mdev *d)
{
	char *only[] = {d->name, NULL};
	struct nt_apply_opts opts = {
		.devices = only, .stages = d->stages, .want = want_not_backed_off, .userdata = m};
	struct nt_plan plan = {}, done = {};
	struct nt_err e = {};
	char ifname[32], ifidx[32], lat[32], nfield[48], ids[200], idsf[220];
	const char *fields[] = {ifname, ifidx, lat, NULL, NULL, NULL};
	bool napis = d->recreated && (d->stages & (1u << NT_STAGE_NAPI));
	size_t written, lost = 0, kept = 0, again = 0;
	uint64_t lat_us;
	int r;

	/* Most devices that come and go (container veths) are no profile's: no plan, no lock. */
	r = nt_session_selects(m->session, d->name);
	if (r <= 0) {
		if (r < 0 && r != -ENODEV)
			log_warning_errno(r, "%s: cannot read what the device is: %m", d->name);
		return 0;
	}
	if (m->test_write_delay_ms)
		opts.before_write = slow_write;
	napis = napis && owned_napi_settings(m, d->name);
	r = nt_session_plan_for(m->session, &opts, &plan, &e);
	if (r >= 0 && napis) {
		napi_settings_seen(&plan, &lost, &kept);
		if (lost && (d->stages & (1u << NT_STAGE_KTHREAD)))
			owned_prune_napis(m, d->name, &plan);
	}
	if (r >= 0)
		r = nt_session_apply_for(m->session, &plan, &opts, &done, &e);
	journal_stat(m);
	if (r == -EBUSY && !done.n)
		goto out;
	if (r == -ENODEV) {
		log_debug("%s left before it could be tuned", d->name);
		r = 0;
		goto out;
	}
	lat_us = now_usec() - d->since_usec;
	snprintf(ifname, sizeof(ifname), "NAPITUNE_IFNAME=%s", d->name);
	snprintf(ifidx, sizeof(ifidx), "NAPITUNE_IFINDEX=%d", d->ifindex);
	snprintf(lat, sizeof(lat), "NAPITUNE_LATENCY_USEC=%llu", (unsigned long long)lat_us);
	log_failures(r < 0 && !done.n ? &plan : &done);
	if (r < 0) {
		nt_log_fields(LOG_ERR, -r, fields, "%s: cannot tune (%s): %s", d->name,
			      done.n ? "rolled back" : "nothing changed", nt_err_msg(&e, r));
	} else {
		count_done(m, &done, &written);
		owned_take(m, &done, false);
		for (size_t i = 0; i < done.n; i++)
			again += done.c[i].stage == NT_STAGE_NAPI &&
				 done.c[i].result == NT_RESULT_WRITTEN;
		if (lost) {
			m->st.napi_reapplied++;
			napi_ids(&done, ids, sizeof(ids));
			snprintf(nfield, sizeof(nfield), "NAPITUNE_NAPI_REAPPLIED=%zu", again);
			snprintf(idsf, sizeof(idsf), "NAPITUNE_NAPI_IDS=%s", ids);
			fields[3] = nfield;
			fields[4] = idsf;
			nt_log_fields(
				LOG_INFO, 0, fields,
				"%s: its NAPIs were re-created without the profile's per-NAPI "
				"settings (no persistent NAPI config: new ids %s, defaults): "
				"%zu per-NAPI values applied again; tuned in %llu ms after its "
				"event: %zu values changed, %zu already set",
				d->name, ids[0] ? ids : "-", again,
				(unsigned long long)(lat_us / USEC_PER_MSEC), written,
				nt_plan_count(&done, NT_CHANGE_SAME));
		} else {
			if (kept) {
				m->st.napi_kept++;
				log_debug(
					"%s: its NAPIs were re-created; their %zu per-NAPI values "
					"were kept by the kernel (persistent NAPI config)",
					d->name, kept);
			}
			if (written || nt_plan_count(&done, NT_CHANGE_SAME))
				nt_log_fields(LOG_INFO, 0, fields,
					      "%s: tuned in %llu ms after its event: %zu values "
					      "changed, %zu already set",
					      d->name, (unsigned long long)(lat_us / USEC_PER_MSEC),
					      written, nt_plan_count(&done, NT_CHANGE_SAME));
		}
	}
	r = r == -EBUSY ? -EIO : 0; /* a failure is logged and not retried in a loop */
out:
	nt_plan_done(&plan);
	nt_plan_done(&done);
	return r;
}

static int verify(struct manager *m, const char *only);

/* Pending work: the whole profile, or the devices that changed. */
static int on_work(sd_event_source *s _unused_, uint64_t usec _unused_, void *userdata)
{
	struct manager *m = userdata;
	bool busy = false, any = false;

	/*
	 * napictl first: while it holds the journal's lock, wait; a revert it just finished
	 * (whose ring and channel changes are among the events here) pauses napitune before
	 * any device is tuned again.
	 */
	if (nt_journal_busy(m->root) > 0) {
		schedule_retry(m);
		return 0;
	}
	(void)journal_changed(m);
	if (m->resync && (m->mode == MODE_PAUSED || m->mode == MODE_STOPPING))
		m->resync = false;
	if (m->resync) {
		if (apply_all(m, "resync") == -EBUSY)
			return 0;
		for (size_t i = 0; i < m->n_dev; i++) {
			m->dev[i].stages = 0;
			m->dev[i].recreated = false;
		}
		publish(m);
		return 0;
	}
	for (size_t i = 0; i < m->n_dev; i++) {
		struct mdev *d = &m->dev[i];

		if (d->stages && have_profile(m) && m->mode != MODE_PAUSED &&
		    m->mode != MODE_STOPPING) {
			if (apply_device(m, d) == -EBUSY) {
				busy = true;
				continue;
			}
			any = true;
		}
		d->stages = 0;
		d->recreated = false;
		if (d->verify) {
			d->verify = false;
			(void)verify(m, d->name);
		}
	}
	if (busy)
		schedule_retry(m);
	if (any)
		publish_later(m);
	return 0;
}

static void schedule_work(struct manager *m)
{
	(void)sd_event_source_set_time_relative(m->work_timer, 0);
	(void)sd_event_source_set_enabled(m->work_timer, SD_EVENT_ONESHOT);
}

static int on_retry(sd_event_source *s _unused_, uint64_t usec _unused_, void *userdata)
{
	return on_work(NULL, 0, userdata);
}

/* ---- drift ---- */

/* MESSAGE_ID of drift messages (systemd/napitune.catalog explains them in journalctl -x). */
#define MESSAGE_ID_DRIFT "MESSAGE_ID=7c3a6a3c2f0e4e5c9d6b1f2a8e4d5c01"

/*
 * The drift messages carry the likely writer of the value (writers.h), when one is known:
 * in the text and as NAPITUNE_WRITER= (its kind) and NAPITUNE_WRITER_SOURCE= (file:line).
 */
_printf_(4, 5) static void drift_log(int level, const struct nt_change *c,
				     const struct nt_writer *w, const char *fmt, ...)
{
	char f_key[160], f_obj[160], f_if[48], f_wk[48], f_ws[320], msg[900];
	_cleanup_free_ char *desc = w ? nt_writer_describe(w) : NULL;
	const char *fields[7] = {MESSAGE_ID_DRIFT, f_key, f_obj};
	size_t n = 3, len;
	va_list ap;

	snprintf(f_key, sizeof(f_key), "NAPITUNE_KNOB=%s", c->key);
	snprintf(f_obj, sizeof(f_obj), "NAPITUNE_OBJECT=%s", c->object);
	if (c->ifname) {
		snprintf(f_if, sizeof(f_if), "NAPITUNE_IFNAME=%s", c->ifname);
		fields[n++] = f_if;
	}
	if (w) {
		snprintf(f_wk, sizeof(f_wk), "NAPITUNE_WRITER=%s",
			 nt_writer_kind_to_string(w->kind));
		if (w->line)
			snprintf(f_ws, sizeof(f_ws), "NAPITUNE_WRITER_SOURCE=%s:%u", w->source,
				 w->line);
		else
			snprintf(f_ws, sizeof(f_ws), "NAPITUNE_WRITER_SOURCE=%s", w->source);
		fields[n++] = f_wk;
		fields[n++] = f_ws;
	}
	fields[n] = NULL;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	len = strlen(msg);
	if (desc && len < sizeof(msg))
		snprintf(msg + len, sizeof(msg) - len, "; likely writer: %s", desc);
	nt_log_fields(level, 0, fields, "%s", msg);
}

/*
 * The likely writer of @c: the first other writer found for it (looked for once per verify,
 * and only when something drifted), or NULL.
 */
static const struct nt_writer *likely_writer(struct manager *m, struct nt_plan *plan,
					     const struct nt_change *c)
{
	const struct nt_writer *w = NULL;
	struct nt_err e = {};
	int r;

	if (!plan->writers_scanned) {
		r = nt_session_writers(m->session, plan, &e);
		plan->writers_scanned = true; /* a failure is not retried for every value */
		if (r < 0)
			log_debug("%s, ignoring", nt_err_msg(&e, r));
	}
	return nt_writers_of(&plan->writers, c, &w, 1) ? w : NULL;
}

/* Reassert, or back off: reasserts older than the window are forgotten first. */
static bool may_reassert(struct manager *m, struct drift *d, const struct nt_change *c,
			 const struct nt_writer *w)
{
	uint64_t now = now_usec(), window = m->config.reassert_window_ns / 1000;
	size_t keep = 0;

	for (size_t i = 0; i < d->n_reasserts; i++)
		if (now - d->reasserts[i] < window)
			d->reasserts[keep++] = d->reasserts[i];
	d->n_reasserts = keep;
	if (d->n_reasserts < m->config.reassert_limit) {
		uint64_t *v = realloc(d->reasserts, (d->n_reasserts + 1) * sizeof(*v));

		if (!v)
			return false;
		d->reasserts = v;
		v[d->n_reasserts++] = now;
		return true;
	}
	d->backed_off = true;
	m->st.backed_off++;
	drift_log(LOG_WARNING, c, w,
		  "%s %s: changed again to %s (the profile wants %s) after %zu rewrites in %llu s: "
		  "someone keeps writing it; napitune stops reasserting it until it is back or a "
		  "reload",
		  c->object, c->key, c->have ?: "?", c->want ?: "?", d->n_reasserts,
		  (unsigned long long)(window / USEC_PER_SEC));
	return false;
}

static bool want_reassert(void *userdata, const struct nt_change *c)
{
	struct manager *m = userdata;
	struct drift *d = drift_find(m, c->key, c->object);

	return d && d->reported && !d->backed_off && d->n_reasserts > 0;
}

/*
 * napictl holds the journal's lock, or changed the journal since napitune last saw it (then
 * that change is taken in now: a revert pauses napitune, an apply is adopted).
 */
static bool napictl_acting(struct manager *m)
{
	return nt_journal_busy(m->root) > 0 || journal_changed(m);
}

/*
 * Compares the values the profile owns with the machine (all devices and the sysctls, or
 * one device). New drift is logged once; drift that went away is logged once; with
 * drift: reassert the profile's values are written again, within the limit.
 */
static int verify(struct manager *m, const char *only)
{
	char *devs[] = {(char *)only, NULL};
	struct nt_apply_opts opts = {.devices = only ? devs : NULL};
	struct nt_plan plan = {}, done = {};
	struct nt_err e = {};
	bool reassert = false, again;
	int r;

	/*
	 * napictl first: a revert under way looks like drift value by value, and reasserting
	 * it would undo the administrator's revert. Judge only when nobody holds the journal's
	 * lock and after any change napictl made to the journal is taken in.
	 */
	if (napictl_acting(m))
		return 0;
	if (!have_profile(m) || m->mode != MODE_RUNNING || !m->n_owned)
		return 0;
	r = nt_session_plan_for(m->session, &opts, &plan, &e);
	if (r < 0) {
		nt_plan_done(&plan);
		return r == -ENODEV ? 0 : r;
	}
	for (size_t i = 0; i < plan.n; i++) {
		const struct nt_change *c = &plan.c[i];
		const struct nt_writer *w;
		struct drift *d;

		if (!owned(m, c->key, c->object))
			continue;
		d = drift_find(m, c->key, c->object);
		if (c->state == NT_CHANGE_SAME) {
			if (d && d->reported)
				drift_log(LOG_NOTICE, c, NULL,
					  "%s %s: back to the profile's value %s", c->object,
					  c->key, c->want ?: "?");
			if (d) {
				d->reported = d->backed_off = false;
				free(d->value);
				d->value = NULL;
			}
			continue;
		}
		if (c->state != NT_CHANGE_SET)
			continue;
		d = d ?: drift_get(m, c->key, c->object);
		if (!d)
			continue;
		if (d->reported && d->value && streq(d->value, c->have ?: ""))
			continue; /* seen before: logged, and written again or left */
		free(d->value);
		d->value = strdup(c->have ?: "");
		d->reported = true;
		if (d->backed_off)
			continue;
		m->st.drift++;
		w = likely_writer(m, &plan, c);
		again = m->config.drift == NT_DRIFT_REASSERT && may_reassert(m, d, c, w);
		if (again || !d->backed_off)
			drift_log(LOG_WARNING, c, w,
				  "%s %s: drift: someone set %s, the profile wants %s; %s",
				  c->object, c->key, c->have ?: "?", c->want ?: "?",
				  again ? "writing it again" : "left as it is (drift: report)");
		reassert |= again;
	}
	nt_plan_done(&plan);
	if (reassert && napictl_acting(m))
		reassert = false; /* it started while we read: the next verify judges again */
	if (reassert) {
		/* the whole machine, not only @only: the sysctls need no device */
		struct nt_apply_opts ra = {.want = want_reassert, .userdata = m};

		if (m->test_write_delay_ms)
			ra.before_write = slow_write;
		r = nt_session_plan(m->session, &plan, &e);
		if (r >= 0)
			r = nt_session_apply_for(m->session, &plan, &ra, &done, &e);
		journal_stat(m);
		if (r == -EBUSY)
			log_notice("napictl took the journal first: the values are judged again at "
				   "the next verify");
		else if (r < 0)
			log_error_errno(r, "reasserting the profile's values: %s",
					nt_err_msg(&e, r));
		for (size_t i = 0; i < done.n; i++)
			if (done.c[i].result == NT_RESULT_WRITTEN)
				m->st.reasserts++;
		for (size_t i = 0; i < m->n_drift; i++)
			m->drift[i].reported &=
				!(r >= 0 && m->drift[i].n_reasserts > 0 && !m->drift[i].backed_off);
		nt_plan_done(&plan);
		nt_plan_done(&done);
		publish(m);
	}
	return 0;
}

static int on_verify(sd_event_source *s, uint64_t usec _unused_, void *userdata)
{
	struct manager *m = userdata;

	(void)verify(m, NULL);
	(void)sd_event_source_set_time_relative(s, m->config.verify_interval_ns / 1000);
	return sd_event_source_set_enabled(s, SD_EVENT_ONESHOT);
}

/* ---- devices ---- */

static struct mdev *dev_find(struct manager *m, int ifindex)
{
	for (size_t i = 0; i < m->n_dev; i++)
		if (m->dev[i].ifindex == ifindex)
			return &m->dev[i];
	return NULL;
}

static struct mdev *dev_add(struct manager *m, int ifindex, const char *name, unsigned int flags)
{
	struct mdev *d = realloc(m->dev, (m->n_dev + 1) * sizeof(*d));

	if (!d)
		return NULL;
	m->dev = d;
	d = &m->dev[m->n_dev++];
	*d = (struct mdev){.ifindex = ifindex, .flags = flags};
	snprintf(d->name, sizeof(d->name), "%s", name);
	return d;
}

static void dev_pending(struct mdev *d, unsigned int stages, uint64_t when)
{
	if (!d->stages && !d->verify)
		d->since_usec = when;
	d->stages |= stages;
}

/* The devices that exist when the daemon starts (later ones come as events). */
static void devices_read(struct manager *m)
{
	char **names = NULL;
	size_t n = 0;

	if (nt_netdev_names(m->root, &names, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *idx = NULL, *flags = NULL;
		char path[96];
		size_t size;
		uint64_t v = 0, f = 0;

		snprintf(path, sizeof(path), "sys/class/net/%s/ifindex", names[i]);
		if (nt_read_file(m->root, path, &idx, &size) < 0 || nt_parse_u64(idx, &v) < 0)
			continue;
		snprintf(path, sizeof(path), "sys/class/net/%s/flags", names[i]);
		if (nt_read_file(m->root, path, &flags, &size) >= 0)
			(void)nt_parse_u64(flags, &f);
		(void)dev_add(m, (int)v, names[i], (unsigned int)f);
	}
	nt_strv_free(names);
}

static void device_renamed(struct manager *m, struct mdev *d, const char *name)
{
	struct nt_err e = {};
	int r;

	log_info("%s was renamed %s", d->name, name);
	r = nt_session_device_renamed(m->session, d->ifindex, name, &e);
	if (r < 0)
		log_warning_errno(r, "cannot follow the rename of %s in the journal: %s", d->name,
				  nt_err_msg(&e, r));
	journal_stat(m);
	owned_device(m, d->name, name);
	snprintf(d->name, sizeof(d->name), "%s", name);
	/* the profile may match the new name (or not): its device settings are due again */
}

static void device_gone(struct manager *m, int ifindex)
{
	struct mdev *d = dev_find(m, ifindex);
	struct nt_err e = {};
	int r;

	if (!d)
		return;
	log_debug("%s (ifindex %d) left", d->name, ifindex);
	r = nt_session_device_gone(m->session, ifindex, &e);
	if (r < 0)
		log_warning_errno(r, "cannot drop %s from the journal: %s", d->name,
				  nt_err_msg(&e, r));
	journal_stat(m);
	owned_device(m, d->name, NULL);
	*d = m->dev[--m->n_dev];
	publish_later(m);
}

static void on_event(const struct mon_event *ev, void *userdata)
{
	struct manager *m = userdata;
	struct mdev *d = ev->ifindex > 0 ? dev_find(m, ev->ifindex) : NULL;

	/* coalescing and features are settings the diagnosis reads, not its topology */
	if (ev->kind != MON_COALESCE && ev->kind != MON_FEATURES)
		observe_topology_changed(m->observe);
	switch (ev->kind) {
	case MON_OVERRUN:
		log_warning("netlink notifications were lost (socket overrun): applying the whole "
			    "profile again");
		m->resync = true;
		break;
	case MON_LINK_DEL:
		device_gone(m, ev->ifindex);
		return;
	case MON_LINK_NEW:
		if (!d) {
			d = dev_add(m, ev->ifindex, ev->ifname, ev->flags);
			if (!d)
				return;
			dev_pending(d, DEVICE_STAGES, ev->when_usec);
		} else if (ev->ifname[0] && !streq(d->name, ev->ifname)) {
			device_renamed(m, d, ev->ifname);
			dev_pending(d, DEVICE_STAGES, ev->when_usec);
		} else if ((d->flags ^ ev->flags) & IFF_UP) {
			/* down/up may re-create NAPIs and their kthreads */
			dev_pending(d, RERESOLVE_STAGES, ev->when_usec);
			d->recreated = true;
		}
		d->flags = ev->flags;
		break;
	case MON_CHANNELS:
	case MON_RINGS:
		if (!d)
			return;
		/* new queues, IRQs, NAPIs; ethtool -G re-creates threaded NAPI kthreads */
		dev_pending(d, RERESOLVE_STAGES, ev->when_usec);
		d->recreated = true;
		d->verify = true;
		break;
	case MON_COALESCE:
	case MON_FEATURES:
		if (!d)
			return;
		dev_pending(d, 0, ev->when_usec);
		d->verify = true;
		break;
	}
	schedule_work(m);
}

static int on_rtnl(sd_event_source *s _unused_, int fd _unused_, uint32_t revents _unused_,
		   void *userdata)
{
	struct manager *m = userdata;

	if (monitor_read_rtnl(m->monitor) < 0)
		log_warning("cannot read link notifications, ignoring");
	return 0;
}

static int on_ethtool(sd_event_source *s _unused_, int fd _unused_, uint32_t revents _unused_,
		      void *userdata)
{
	struct manager *m = userdata;

	if (monitor_read_ethtool(m->monitor) < 0)
		log_warning("cannot read ethtool notifications, ignoring");
	return 0;
}

/* ---- the journal changed under the daemon: napictl apply or revert ---- */

static int load_profile(struct manager *m, const char *name_or_path, struct nt_profile **ret)
{
	_cleanup_free_ char *path = NULL;
	struct nt_msgs msgs = {};
	struct nt_err e = {};
	int r;

	r = nt_profile_find(name_or_path, nt_profile_dirs(), &path, &e);
	if (r < 0)
		return log_error_errno(r, "%s", nt_err_msg(&e, r));
	r = nt_profile_load(path, nt_profile_dirs(), ret, &msgs);
	log_msgs(&msgs);
	nt_msgs_done(&msgs);
	(void)m;
	if (r < 0)
		return log_error_errno(r, "profile %s is invalid", path);
	return 0;
}

/* Makes @p the session's profile (the old one is freed). */
static void use_profile(struct manager *m, struct nt_profile *p)
{
	nt_profile_free(m->session->profile);
	m->session->profile = p;
}

/* The owned set of a profile napictl applied: what its plan finds in place. */
static void own_current(struct manager *m)
{
	struct nt_plan plan = {};

	if (nt_session_plan(m->session, &plan, NULL) >= 0)
		owned_take(m, &plan, true);
	nt_plan_done(&plan);
}

/* True when the journal is not as napitune itself left it (napictl wrote it). */
static bool journal_changed(struct manager *m)
{
	_cleanup_(nt_journal_freep) struct nt_journal *j = NULL;
	const struct nt_journal_apply *a;
	struct stat st = {};
	struct nt_profile *p = NULL;

	if (fstatat(nt_root_fd(m->root), NT_JOURNAL_FILE, &st, 0) < 0)
		st = (struct stat){};
	if (st.st_ino == m->journal_seen.st_ino && st.st_size == m->journal_seen.st_size &&
	    st.st_mtim.tv_sec == m->journal_seen.st_mtim.tv_sec &&
	    st.st_mtim.tv_nsec == m->journal_seen.st_mtim.tv_nsec)
		return false; /* our own write */
	m->journal_seen = st;
	if (nt_journal_open(m->root, false, &j, NULL) < 0)
		return true;
	a = nt_journal_last(j);
	if (!st.st_ino || !a) {
		if (m->mode == MODE_RUNNING || m->mode == MODE_FAILED) {
			log_notice(
				"the profile was reverted by napictl: napitune stops applying and "
				"reasserting it; 'systemctl reload napitune' applies it again");
			m->mode = MODE_PAUSED;
			owned_clear(m);
			drift_clear(m);
			publish(m);
		}
		return true;
	}
	if (!a->committed)
		return true; /* napictl is still at it; its commit brings another event */
	if (have_profile(m) && m->session->profile->path &&
	    streq(m->session->profile->path, a->path) && m->mode != MODE_PAUSED) {
		own_current(m);
		publish(m);
		return true;
	}
	if (load_profile(m, a->path[0] ? a->path : a->profile, &p) < 0)
		return true;
	use_profile(m, p);
	m->adopted = true;
	m->mode = MODE_RUNNING;
	drift_clear(m);
	own_current(m);
	set_str(&m->st.last_result, "ok");
	m->st.last_apply = a->when;
	log_notice("napictl applied profile %s: napitune follows it from now on (new devices, "
		   "drift, stop)",
		   p->name);
	publish(m);
	return true;
}

static int on_inotify(sd_event_source *s _unused_, int fd, uint32_t revents _unused_,
		      void *userdata)
{
	struct manager *m = userdata;
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	bool journal = false;
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;

			if (ev->len && streq(ev->name, "journal"))
				journal = true;
			p += sizeof(*ev) + ev->len;
		}
	if (journal)
		(void)journal_changed(m);
	return 0;
}

/* ---- signals: reload, stop, and the test hook ---- */

static bool want_dropped(void *userdata, const struct nt_change *c)
{
	return !owned(userdata, c->key, c->object);
}

/*
 * From the profile in force to @p (taken): @p is applied (journaled, read back, rolled back
 * to the old profile's values if it fails), then what only the old profile set goes back
 * to its original.
 */
static int switch_profile(struct manager *m, struct nt_profile *p)
{
	struct nt_profile *old = m->session->profile;
	struct nt_apply_opts keep = {.want = want_dropped, .userdata = m};
	struct nt_plan done = {};
	struct nt_err e = {};
	enum manager_mode mode = m->mode;
	size_t restored = 0;
	int r;

	m->session->profile = p;
	if (m->mode == MODE_PAUSED || m->mode == MODE_WATCHING)
		m->mode = MODE_STARTING;
	r = apply_all(m, "reload");
	if (r < 0) {
		log_error("reload: profile %s could not be applied; profile %s stays", p->name,
			  old ? old->name : "none");
		m->session->profile = old;
		nt_profile_free(p);
		m->mode = mode;
		return r;
	}
	m->adopted = false;
	if (old) {
		r = nt_session_revert_for(m->session, &keep, &done, &e);
		journal_stat(m);
		log_failures(&done);
		for (size_t i = 0; i < done.n; i++)
			restored += done.c[i].result == NT_RESULT_WRITTEN;
		if (r < 0)
			log_error_errno(r, "reload: cannot restore what profile %s set alone: %s",
					old->name, nt_err_msg(&e, r));
		nt_plan_done(&done);
	}
	log_info("reload: profile %s replaces %s; %zu values only %s set are back to their "
		 "originals",
		 p->name, old ? old->name : "none", restored, old ? old->name : "it");
	nt_profile_free(old);
	return 0;
}

static int reload(struct manager *m)
{
	struct nt_daemon_config c = {};
	struct nt_msgs msgs = {};
	struct nt_profile *p = NULL, *old;
	bool same;
	int r;

	(void)sd_notify(false, "RELOADING=1\nSTATUS=reloading the configuration");
	r = nt_daemon_config_load(m->config_path, &c, &msgs);
	log_msgs(&msgs);
	nt_msgs_done(&msgs);
	if (r < 0 && r != -ENOENT) {
		log_error("reload: %s is invalid: keeping the running configuration",
			  m->config_path);
		goto done;
	}
	if (c.profile && load_profile(m, c.profile, &p) < 0) {
		log_error("reload: keeping the running configuration and profile");
		nt_daemon_config_done(&c);
		goto done;
	}
	old = m->session->profile;
	same = p && old && streq(p->path, old->path) && m->mode != MODE_PAUSED && !m->adopted;
	nt_daemon_config_done(&m->config);
	m->config = c;
	m->st.reloads++;
	drift_clear(m);
	(void)sd_event_source_set_time_relative(m->verify_timer,
						m->config.verify_interval_ns / 1000);
	observe_reconfigure(m->observe);
	if (!p) {
		/* profile: none: what napitune changed goes back, then it only watches */
		struct nt_plan done = {};
		struct nt_err e = {};

		r = nt_session_revert(m->session, &done, &e);
		if (r < 0)
			log_error_errno(r, "reload: cannot revert: %s", nt_err_msg(&e, r));
		nt_plan_done(&done);
		journal_stat(m);
		use_profile(m, NULL);
		owned_clear(m);
		m->mode = MODE_WATCHING;
		m->adopted = false;
		log_info("reload: profile none: napitune only watches");
		goto done;
	}
	if (same) {
		nt_profile_free(p);
		log_info("reload: configuration reloaded, profile %s unchanged", old->name);
		goto done;
	}
	(void)switch_profile(m, p);
done:
	publish(m);
	(void)sd_notify(false, "READY=1");
	return 0;
}

static int stop(struct manager *m)
{
	struct nt_plan done = {};
	struct nt_err e = {};
	int r = 0;

	m->mode = MODE_STOPPING;
	(void)sd_notify(false, "STOPPING=1\nSTATUS=stopping");
	if (m->config.on_stop == NT_ON_STOP_REVERT) {
		r = nt_session_revert(m->session, &done, &e);
		log_failures(&done);
		if (r < 0)
			log_error_errno(r,
					"stop: cannot revert everything: %s (the journal keeps "
					"the rest; 'napictl revert' tries again)",
					nt_err_msg(&e, r));
		else if (r > 0)
			log_info("stop: the values napitune changed are back to their originals");
		nt_plan_done(&done);
	} else if (have_profile(m)) {
		log_info("stop: on-stop is keep: the tuned values stay ('napictl revert' undoes "
			 "them)");
	}
	(void)nt_daemon_state_remove(m->root);
	return sd_event_exit(m->event, r < 0 ? 1 : 0);
}

static int on_signal(sd_event_source *s _unused_, const struct signalfd_siginfo *si, void *userdata)
{
	struct manager *m = userdata;

	switch (si->ssi_signo) {
	case SIGHUP:
		return reload(m);
	case SIGUSR2:
		if (m->test_hooks) {
			/* test hook: the loop stops feeding the watchdog */
			log_warning("test hook: stalling the event loop");
			for (;;)
				pause();
		}
		return 0;
	default:
		return stop(m);
	}
}

/* ---- new, start, run, free ---- */

int manager_new(const char *config_path, struct manager **ret)
{
	_cleanup_(manager_freep) struct manager *m = NULL;
	struct nt_msgs msgs = {};
	struct nt_profile *p = NULL;
	struct nt_err e = {};
	const char *env;
	int r;

	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->inotify_fd = -1;
	m->config_path = strdup(config_path);
	if (!m->config_path)
		return -ENOMEM;
	r = nt_daemon_config_load(config_path, &m->config, &msgs);
	log_msgs(&msgs);
	nt_msgs_done(&msgs);
	if (r == -ENOENT)
		log_notice("%s does not exist: built-in defaults", config_path);
	else if (r < 0)
		return log_error_errno(r == -ENOMEM ? r : -EINVAL, "%s is invalid", config_path);
	set_str(&m->st.config, r == -ENOENT ? "(defaults)" : config_path);
	if (m->config.profile && load_profile(m, m->config.profile, &p) < 0)
		return -EINVAL;
	r = nt_root_open("/", &m->root);
	if (r < 0) {
		nt_profile_free(p);
		return log_error_errno(r, "cannot open /: %m");
	}
	r = nt_session_open(m->root, NULL, &m->session, &e);
	if (r < 0) {
		nt_profile_free(p);
		return log_error_errno(r, "%s", nt_err_msg(&e, r));
	}
	m->session->profile = p;
	env = getenv("NAPITUNE_TEST_HOOKS");
	m->test_hooks = env && streq(env, "1");
	env = getenv("NAPITUNE_TEST_WRITE_DELAY_MS");
	if (m->test_hooks && env)
		m->test_write_delay_ms = (unsigned int)strtoul(env, NULL, 10);
	*ret = TAKE_PTR(m);
	return 0;
}

/*
 * A previous instance that crashed may have followed a profile napictl applied: its state
 * file says so, and the journal still holds that apply. Then that profile stays in force.
 */
static void resume_adopted(struct manager *m)
{
	_cleanup_(nt_journal_freep) struct nt_journal *j = NULL;
	struct nt_daemon_state old = {};
	const struct nt_journal_apply *a;
	struct nt_profile *p = NULL;

	if (nt_daemon_state_read(m->root, &old) < 0)
		return;
	if (old.adopted && nt_journal_open(m->root, false, &j, NULL) >= 0 &&
	    (a = nt_journal_last(j)) && a->committed && old.profile_path &&
	    streq(a->path, old.profile_path) && load_profile(m, a->path, &p) >= 0) {
		log_notice("the last napitune (pid %d) followed profile %s applied by napictl: it "
			   "stays in force",
			   old.pid, p->name);
		use_profile(m, p);
		m->adopted = true;
	}
	nt_daemon_state_done(&old);
}

static int watch_run_dir(struct manager *m)
{
	int dfd = nt_root_fd(m->root), r;

	/* world-readable: the state file is for everyone (daemon-state.h) */
	if (mkdirat(dfd, NT_JOURNAL_DIR, 0755) < 0 && errno != EEXIST)
		return log_error_errno(-errno, "cannot create /%s: %m", NT_JOURNAL_DIR);
	/* fchmodat() is warn_unused_result under _FORTIFY_SOURCE (the packages' build flags) */
	if (fchmodat(dfd, NT_JOURNAL_DIR, 0755, 0) < 0)
		log_warning_errno(-errno, "cannot make /%s world-readable: %m, ignoring",
				  NT_JOURNAL_DIR);
	m->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (m->inotify_fd < 0)
		return log_error_errno(-errno, "inotify: %m");
	if (inotify_add_watch(m->inotify_fd, "/" NT_JOURNAL_DIR,
			      IN_CLOSE_WRITE | IN_MOVED_TO | IN_DELETE | IN_CREATE) < 0)
		return log_error_errno(-errno, "cannot watch /%s: %m", NT_JOURNAL_DIR);
	r = sd_event_add_io(m->event, &m->inotify_source, m->inotify_fd, EPOLLIN, on_inotify, m);
	return r < 0 ? log_error_errno(r, "sd-event: %m") : 0;
}

static int add_timer(struct manager *m, sd_event_source **ret, sd_event_time_handler_t fn)
{
	/* accuracy 1 us: sd-event would otherwise coalesce these wakeups by up to 250 ms */
	int r = sd_event_add_time_relative(m->event, ret, CLOCK_MONOTONIC, 0, 1, fn, m);

	if (r >= 0)
		r = sd_event_source_set_enabled(*ret, SD_EVENT_OFF);
	return r;
}

int manager_start(struct manager *m)
{
	sigset_t mask;
	int r;

	m->st.pid = getpid();
	m->st.started = time(NULL);
	r = sd_event_default(&m->event);
	if (r < 0)
		return log_error_errno(r, "sd-event: %m");
	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGUSR2);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	r = sd_event_add_signal(m->event, NULL, SIGTERM, on_signal, m);
	if (r >= 0)
		r = sd_event_add_signal(m->event, NULL, SIGINT, on_signal, m);
	if (r >= 0)
		r = sd_event_add_signal(m->event, NULL, SIGHUP, on_signal, m);
	if (r >= 0)
		r = sd_event_add_signal(m->event, NULL, SIGUSR2, on_signal, m);
	if (r >= 0)
		r = sd_event_set_watchdog(m->event, true);
	if (r < 0)
		return log_error_errno(r, "sd-event: %m");

	/* Watch first: a device that appears during the first apply is not missed. */
	r = monitor_new(on_event, m, &m->monitor, &m->have_ethtool_ntf);
	if (r < 0)
		return log_error_errno(r, "cannot listen to netlink notifications: %m");
	if (!m->have_ethtool_ntf)
		log_notice("no ethtool netlink notifications on this kernel: ring, channel and "
			   "coalescing changes are seen at the next verify");
	r = sd_event_add_io(m->event, &m->rtnl_source, monitor_rtnl_fd(m->monitor), EPOLLIN,
			    on_rtnl, m);
	if (r >= 0 && m->have_ethtool_ntf)
		r = sd_event_add_io(m->event, &m->ethtool_source, monitor_ethtool_fd(m->monitor),
				    EPOLLIN, on_ethtool, m);
	if (r < 0)
		return log_error_errno(r, "sd-event: %m");
	r = watch_run_dir(m);
	if (r < 0)
		return r;
	r = add_timer(m, &m->work_timer, on_work);
	if (r >= 0)
		r = add_timer(m, &m->retry_timer, on_retry);
	if (r >= 0)
		r = add_timer(m, &m->verify_timer, on_verify);
	if (r >= 0)
		r = add_timer(m, &m->publish_timer, on_publish);
	if (r < 0)
		return log_error_errno(r, "sd-event: %m");
	devices_read(m);

	resume_adopted(m);
	if (have_profile(m)) {
		(void)apply_all(m, "start");
		(void)sd_event_source_set_time_relative(m->verify_timer,
							m->config.verify_interval_ns / 1000);
		(void)sd_event_source_set_enabled(m->verify_timer, SD_EVENT_ONESHOT);
	} else {
		m->mode = MODE_WATCHING;
		log_info("profile: none: napitune watches only");
	}
	journal_stat(m);
	publish(m);
	r = observe_new(m, &m->observe);
	if (r < 0)
		return log_error_errno(r, "cannot start the periodic diagnosis: %m");
	(void)sd_notify(false, "READY=1");
	return 0;
}

int manager_run(struct manager *m)
{
	int r = sd_event_loop(m->event);

	return r < 0 ? log_error_errno(r, "event loop: %m") : r;
}

struct manager *manager_free(struct manager *m)
{
	if (!m)
		return NULL;
	sd_event_source_unref(m->rtnl_source);
	sd_event_source_unref(m->ethtool_source);
	sd_event_source_unref(m->inotify_source);
	sd_event_source_unref(m->work_timer);
	sd_event_source_unref(m->verify_timer);
	sd_event_source_unref(m->retry_timer);
	sd_event_source_unref(m->publish_timer);
	observe_free(m->observe);
	sd_event_unref(m->event);
	monitor_free(m->monitor);
	if (m->inotify_fd >= 0)
		close(m->inotify_fd);
	owned_clear(m);
	drift_clear(m);
	free(m->dev);
	nt_daemon_state_done(&m->st);
	nt_session_free(m->session);
	nt_root_free(m->root);
	nt_daemon_config_done(&m->config);
	free(m->config_path);
	free(m);
	return NULL;
}
