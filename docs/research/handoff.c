/*
 * handoff.c - reproduce "one client holding a file it wrote stalls every other client ~5 s".
 *
 * Build: gcc -D_FILE_OFFSET_BITS=64 -O2 -o /tmp/handoff handoff.c -lcephfs -lpthread
 * Run:   eval "$(scripts/ceph-cluster.sh env)"; /tmp/handoff [key=value ...]
 *
 * Roles: A writes a fresh file (create, 4 KiB, close) and then (maybe) reopens it and holds it;
 *        B (another libcephfs mount, or the same one) then stats and/or opens+reads it.
 * Keys (defaults first):
 *   reps=10
 *   reopen=rd|rdwr|none|third   who holds the file while B looks: A O_RDONLY, A O_RDWR, nobody,
 *                               a third mount C O_RDONLY
 *   flock=0|sh|ex               flock the held fd
 *   fsync=0|1                   A fsyncs before closing the written fd
 *   act=none|syncfs_pre|syncfs_hold|fsync_hold|lazyio|fstat_hold|sleep_pre=<s>|rewrite|rewrite_fsync
 *       syncfs_pre:  ceph_sync_fs(A) after close, before reopen
 *       syncfs_hold: ceph_sync_fs(A) after reopen (while holding)
 *       fsync_hold:  ceph_fsync(A, held fd)
 *       lazyio:      ceph_lazyio(A, held fd, 1)
 *       fstat_hold:  ceph_fstatx(A, held fd, BASIC|BTIME) (the adapter's newInputStream does this)
 *       sleep_pre=S: A sleeps S seconds between close and reopen
 *       rewrite:     after reopen (+flock) A rewrites the file through a second fd (O_WRONLY|O_TRUNC)
 *                    and closes that fd; rewrite_fsync: same with fsync before that close
 *   bpre=0|1                    B does its look (bop) once already between A's close and A's reopen
 *                               (so B holds caps on the inode from before; mode=two only)
 *   bop=statread|stat|statmode|read|openfstatread|opensyncread|openwaitsyncread|openwaitread   B's operation(s): statx(BASIC|BTIME)+open/read,
 *                               statx only, statx(MODE|UID|GID|INO) only, open+read only, open +
 *                               fstatx(SIZE) + read, open + ceph_sync_fs(B) + read,
 *                               open + 20 ms + ceph_sync_fs(B) + read, open + 20 ms + read
 *   mode=two|same|fork          two mounts in one process; one mount used by two threads;
 *                               A and B in two processes (fork)
 *   aconf=k:v,k:v               ceph_conf_set on A's mount before mounting (e.g.
 *                               client_caps_release_delay:0,client_oc:false)
 *   bconf=k:v,...               same for B
 *   log=PREFIX                  debug_client 20 / debug_ms 1 into PREFIX.A.log, PREFIX.B.log
 *   dir=/handoff                directory used (created)
 */
#define _GNU_SOURCE
#include <cephfs/libcephfs.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* what the adapter asks for (CephMount.STATX_WANT): CEPH_STATX_BASIC_STATS | CEPH_STATX_BTIME */
#define STATX_WANT (CEPH_STATX_BASIC_STATS | CEPH_STATX_BTIME)
static int reps = 10, do_fsync = 0, bpre = 0;
static const char *reopen = "rd", *flk = "0", *act = "none", *bop = "statread", *mode = "two";
static const char *aconf = "", *bconf = "", *logp = NULL, *dir = "/handoff";
static char tag[256];

static double now_ms(void) {
    struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}
static void wallstamp(char *buf, size_t n) {
    struct timespec t; clock_gettime(CLOCK_REALTIME, &t);
    struct tm tm; gmtime_r(&t.tv_sec, &tm);
    size_t l = strftime(buf, n, "%H:%M:%S", &tm);
    snprintf(buf + l, n - l, ".%03ld", t.tv_nsec / 1000000);
}
#define CHK(x) do { int _r = (x); if (_r < 0) { fprintf(stderr, "%s:%d %s = %d (%s)\n", __FILE__, __LINE__, #x, _r, strerror(-_r)); exit(1); } } while (0)

static struct ceph_mount_info *mk(const char *conf, const char *who) {
    struct ceph_mount_info *m;
    CHK(ceph_create(&m, NULL));
    CHK(ceph_conf_read_file(m, NULL));
    if (logp) {
        char f[512]; snprintf(f, sizeof f, "%s.%s.log", logp, who);
        CHK(ceph_conf_set(m, "log_file", f));
        CHK(ceph_conf_set(m, "debug_client", "20"));
        CHK(ceph_conf_set(m, "debug_ms", "1"));
    }
    if (conf && *conf) {
        char *c = strdup(conf), *save = NULL;
        for (char *kv = strtok_r(c, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
            char *v = strchr(kv, ':'); if (!v) continue; *v++ = 0;
            CHK(ceph_conf_set(m, kv, v));
        }
        free(c);
    }
    const char *fs = getenv("CEPH_FS_NAME");
    if (fs) ceph_select_filesystem(m, fs);
    CHK(ceph_mount(m, "/"));
    return m;
}

/* Ceph's cap string, e.g. pAsLsXsFscr (see ccap_string in src/common/ceph_strings.cc) */
static const char *capstr(int c) {
    static char b[8][64]; static int k; char *o = b[k++ & 7]; int n = 0;
    if (c < 0) { snprintf(o, 64, "err%d", c); return o; }
    if (c & 1) o[n++] = 'p';
    const char *gn = "ALXF"; const int sh[4] = {2, 4, 6, 8};
    for (int g = 0; g < 4; g++) {
        int v = (c >> sh[g]) & (g == 3 ? 0xff : 3);
        if (!v) continue;
        o[n++] = gn[g];
        const char *bits = "sxcrwbla";
        for (int i = 0; i < 8; i++) if (v & (1 << i)) o[n++] = bits[i];
    }
    if (!n) o[n++] = '-';
    o[n] = 0; return o;
}

static int cmpd(const void *a, const void *b) { double x = *(double *)a, y = *(double *)b; return x < y ? -1 : x > y; }
static void summary(const char *what, double *v, int n) {
    double s[n]; memcpy(s, v, sizeof s); qsort(s, n, sizeof(double), cmpd);
    double med = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    printf("RESULT %-60s %-9s n=%d median=%8.1f ms max=%8.1f ms  [", tag, what, n, med, s[n - 1]);
    for (int i = 0; i < n; i++) printf("%s%.0f", i ? " " : "", v[i]);
    printf("]\n");
    fflush(stdout);
}

static void b_look(struct ceph_mount_info *B, const char *path, double *t_stat, double *t_read);
/* ---------------- A's side ---------------- */
static int a_fd = -1, c_fd = -1;
static struct ceph_mount_info *Bglob;   /* for act=bpre: B stats the file between A's close and A's reopen */
static void a_prepare(struct ceph_mount_info *A, struct ceph_mount_info *C, const char *path, int verbose) {
    char buf[4096]; memset(buf, 'x', sizeof buf);
    int fd = ceph_open(A, path, O_CREAT | O_WRONLY | O_TRUNC, 0644); CHK(fd);
    CHK(ceph_write(A, fd, buf, sizeof buf, 0));
    if (do_fsync) CHK(ceph_fsync(A, fd, 0));
    CHK(ceph_close(A, fd));
    if (!strcmp(act, "syncfs_pre")) CHK(ceph_sync_fs(A));
    if (!strncmp(act, "sleep_pre=", 10)) usleep((useconds_t)(atof(act + 10) * 1e6));
    if (bpre && Bglob) { double t1, t2; b_look(Bglob, path, &t1, &t2); }
    a_fd = c_fd = -1;
    struct ceph_mount_info *H = A; int *hfd = &a_fd;
    if (!strcmp(reopen, "third")) { H = C; hfd = &c_fd; }
    if (strcmp(reopen, "none")) {
        int fl = !strcmp(reopen, "rdwr") ? O_RDWR : O_RDONLY;
        *hfd = ceph_open(H, path, fl, 0); CHK(*hfd);
        if (!strcmp(flk, "sh")) CHK(ceph_flock(H, *hfd, LOCK_SH, 1));
        if (!strcmp(flk, "ex")) CHK(ceph_flock(H, *hfd, LOCK_EX, 1));
        if (!strcmp(act, "rewrite") || !strcmp(act, "rewrite_fsync")) {   /* rewrite through a second fd while holding */
            int w = ceph_open(H, path, O_WRONLY | O_TRUNC, 0); CHK(w);
            CHK(ceph_write(H, w, buf, sizeof buf, 0));
            if (!strcmp(act, "rewrite_fsync")) CHK(ceph_fsync(H, w, 0));
            CHK(ceph_close(H, w));
        }
        if (!strcmp(act, "fstat_hold")) { struct ceph_statx sx; CHK(ceph_fstatx(H, *hfd, &sx, STATX_WANT, 0)); }
        if (!strcmp(act, "syncfs_hold")) CHK(ceph_sync_fs(H));
        if (!strcmp(act, "fsync_hold")) CHK(ceph_fsync(H, *hfd, 0));
        if (!strcmp(act, "lazyio")) CHK(ceph_lazyio(H, *hfd, 1));
        if (verbose) printf("  holder caps while holding: %s\n", capstr(ceph_debug_get_fd_caps(H, *hfd)));
    }
}
static void a_release(struct ceph_mount_info *A, struct ceph_mount_info *C) {
    if (a_fd >= 0) CHK(ceph_close(A, a_fd));
    if (c_fd >= 0) CHK(ceph_close(C, c_fd));
    a_fd = c_fd = -1;
}

/* ---------------- B's side ---------------- */
static void b_look(struct ceph_mount_info *B, const char *path, double *t_stat, double *t_read) {
    struct ceph_statx sx; char buf[4096];
    *t_stat = *t_read = -1;
    if (strcmp(bop, "read") && strncmp(bop, "open", 4)) {
        unsigned want = !strcmp(bop, "statmode") ? (CEPH_STATX_MODE | CEPH_STATX_UID | CEPH_STATX_GID | CEPH_STATX_INO)
                                                 : STATX_WANT;
        double t0 = now_ms();
        CHK(ceph_statx(B, path, &sx, want, 0));
        *t_stat = now_ms() - t0;
        if (want == STATX_WANT && sx.stx_size != 4096) fprintf(stderr, "B: size %llu != 4096\n", (unsigned long long)sx.stx_size);
    }
    if (!strcmp(bop, "read") || !strcmp(bop, "statread") || !strncmp(bop, "open", 4)) {
        double t0 = now_ms();
        int fd = ceph_open(B, path, O_RDONLY, 0); CHK(fd);
        if (!strcmp(bop, "openfstatread"))   /* without Fs this is a getattr to the MDS, which rdlocks the filelock (and nudges the log) */
            CHK(ceph_fstatx(B, fd, &sx, CEPH_STATX_SIZE, 0));
        if (!strcmp(bop, "opensyncread"))    /* ceph_sync_fs asks every MDS to flush its journal (REQUEST_FLUSH_MDLOG) */
            CHK(ceph_sync_fs(B));
        if (!strcmp(bop, "openwaitsyncread")) { usleep(20000); CHK(ceph_sync_fs(B)); }
        if (!strcmp(bop, "openwaitread")) usleep(20000);
        int r = ceph_read(B, fd, buf, sizeof buf, 0); CHK(r);
        CHK(ceph_close(B, fd));
        *t_read = now_ms() - t0;
        if (r != 4096) fprintf(stderr, "B: read %d != 4096\n", r);
    }
}

/* ---------------- drivers ---------------- */
static void run_rep_two(struct ceph_mount_info *A, struct ceph_mount_info *B, struct ceph_mount_info *C,
                        int i, double *ts, double *tr) {
    char path[256], w0[32], w1[32];
    snprintf(path, sizeof path, "%s/%d-%s-%d-%ld", dir, getpid(), tag, i, (long)time(NULL));
    for (char *p = path + strlen(dir) + 1; *p; p++) if (*p == ' ' || *p == '/' || *p == '=' || *p == ':' || *p == ',') *p = '_';
    a_prepare(A, C, path, i == 0);
    wallstamp(w0, sizeof w0);
    b_look(B, path, ts, tr);
    wallstamp(w1, sizeof w1);
    if (i == 0) printf("  B caps after its look: %s\n", capstr(ceph_debug_get_file_caps(B, path)));
    if (logp) printf("  rep %d %s: B from %s to %s stat=%.1f read=%.1f\n", i, path, w0, w1, *ts, *tr);
    a_release(A, C);
}

/* same mount, two threads: thread 1 = A (prepares and holds), thread 2 = B */
struct same_ctx { struct ceph_mount_info *M; const char *path; sem_t held, done; double ts, tr; };
static void *same_holder(void *p) {
    struct same_ctx *c = p;
    a_prepare(c->M, c->M, c->path, 0);
    sem_post(&c->held);
    sem_wait(&c->done);
    a_release(c->M, c->M);
    return NULL;
}
static void *same_looker(void *p) {
    struct same_ctx *c = p;
    sem_wait(&c->held);
    b_look(c->M, c->path, &c->ts, &c->tr);
    sem_post(&c->done);
    return NULL;
}

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        char *k = argv[i], *v = strchr(k, '=');
        if (!v) { fprintf(stderr, "bad arg %s\n", k); return 2; }
        *v++ = 0;
        if (!strcmp(k, "reps")) reps = atoi(v);
        else if (!strcmp(k, "reopen")) reopen = v;
        else if (!strcmp(k, "flock")) flk = v;
        else if (!strcmp(k, "fsync")) do_fsync = atoi(v);
        else if (!strcmp(k, "act")) act = v;
        else if (!strcmp(k, "bpre")) bpre = atoi(v);
        else if (!strcmp(k, "bop")) bop = v;
        else if (!strcmp(k, "mode")) mode = v;
        else if (!strcmp(k, "aconf")) aconf = v;
        else if (!strcmp(k, "bconf")) bconf = v;
        else if (!strcmp(k, "log")) logp = v;
        else if (!strcmp(k, "dir")) dir = v;
        else { fprintf(stderr, "unknown key %s\n", k); return 2; }
    }
    snprintf(tag, sizeof tag, "mode=%s reopen=%s flock=%s fsync=%d act=%s bop=%s%s%s%s", mode, reopen, flk, do_fsync, act, bop, bpre ? " bpre=1" : "",
             *aconf ? " aconf=" : "", aconf);
    setvbuf(stdout, NULL, _IOLBF, 0);
    double ts[reps], tr[reps];

    if (!strcmp(mode, "fork")) {
        /* A (and C) in the child, B in the parent; pipes for the hand-off */
        int p2c[2], c2p[2]; char ch;
        if (pipe(p2c) || pipe(c2p)) return 1;
        pid_t pid = fork();
        if (pid == 0) {
            struct ceph_mount_info *A = mk(aconf, "A"), *C = strcmp(reopen, "third") ? NULL : mk("", "C");
            { struct ceph_mount_info *t = A; ceph_mkdir(t, dir, 0755); }
            for (int i = 0; i < reps; i++) {
                char path[256]; snprintf(path, sizeof path, "%s/fork-%d-%d-%ld", dir, getppid(), i, (long)time(NULL));
                if (read(p2c[0], &ch, 1) != 1) _exit(1);          /* wait for "go" */
                a_prepare(A, C, path, i == 0);
                if (write(c2p[1], path, sizeof path) != sizeof path) _exit(1); /* "held", with the name */
                if (read(p2c[0], &ch, 1) != 1) _exit(1);          /* B done */
                a_release(A, C);
            }
            ceph_unmount(A); ceph_release(A);
            if (C) { ceph_unmount(C); ceph_release(C); }
            _exit(0);
        }
        struct ceph_mount_info *B = mk(bconf, "B");
        for (int i = 0; i < reps; i++) {
            char path[256];
            if (write(p2c[1], "g", 1) != 1) return 1;
            if (read(c2p[0], path, sizeof path) != sizeof path) return 1;
            b_look(B, path, &ts[i], &tr[i]);
            if (write(p2c[1], "d", 1) != 1) return 1;
        }
        int st; waitpid(pid, &st, 0);
        ceph_unmount(B); ceph_release(B);
    } else if (!strcmp(mode, "same")) {
        struct ceph_mount_info *M = mk(aconf, "A");
        ceph_mkdir(M, dir, 0755);
        for (int i = 0; i < reps; i++) {
            char path[256]; snprintf(path, sizeof path, "%s/same-%d-%d-%ld", dir, getpid(), i, (long)time(NULL));
            struct same_ctx c = { .M = M, .path = path };
            sem_init(&c.held, 0, 0); sem_init(&c.done, 0, 0);
            pthread_t t1, t2;
            pthread_create(&t1, NULL, same_holder, &c);
            pthread_create(&t2, NULL, same_looker, &c);
            pthread_join(t1, NULL); pthread_join(t2, NULL);
            ts[i] = c.ts; tr[i] = c.tr;
        }
        ceph_unmount(M); ceph_release(M);
    } else {
        struct ceph_mount_info *A = mk(aconf, "A"), *B = mk(bconf, "B"), *C = strcmp(reopen, "third") ? NULL : mk("", "C");
        ceph_mkdir(A, dir, 0755);
        Bglob = B;
        for (int i = 0; i < reps; i++) run_rep_two(A, B, C, i, &ts[i], &tr[i]);
        ceph_unmount(A); ceph_release(A); ceph_unmount(B); ceph_release(B);
        if (C) { ceph_unmount(C); ceph_release(C); }
    }
    if (ts[0] >= 0) summary("B.statx", ts, reps);
    if (tr[0] >= 0) summary("B.open+read", tr, reps);
    return 0;
}
