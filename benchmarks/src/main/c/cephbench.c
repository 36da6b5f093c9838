/*
 * cephbench: the C floor of the cephfs-jca data-path benchmark.
 *
 * Runs the same operations, with the same parameters and the same output format, as the Java driver
 * (org.cephfsjca.bench.DataPathMain): one libcephfs mount per thread, a warm-up, then several timed repetitions.
 * The harness (scripts/bench.sh, BenchMain) compiles it with
 *     cc -O2 -D_FILE_OFFSET_BITS=64 -pthread cephbench.c -lcephfs
 * and parses lines of the form
 *     RESULT <impl> <op> <threads> <unit> <value>,<value>,...      (one value per repetition)
 *
 * --ceph-option name=value (repeatable) is set with ceph_conf_set after ceph.conf is read, on every mount; the
 * program prints "CONF c name=value, ..." with what ceph_conf_get reads back once the mounts are set up.
 *
 * Operations (each thread works in its own directory, on its own files, through its own mount):
 *   create    open(O_CREAT|O_WRONLY|O_TRUNC) a new file + write 4 KiB at 0 + close        (time budget, ops/s)
 *             (the warm-up cycles over WARM_FILES names instead, so that its seconds do not fill the cluster)
 *   noop      ceph_get_stripe_unit_granularity, a libcephfs getter that only checks that the client is mounted:
 *             the cost of one native call, in batches of 64 calls per clock check (time budget, calls/s)
 *   stat      ceph_statx of an existing file (want 0xfff, follow links)                   (time budget, ops/s)
 *   read4k    4 KiB ceph_read at a cycling offset of a cached 1 MiB file                  (time budget, ops/s)
 *   lock      open(O_RDONLY) + flock(LOCK_EX|LOCK_NB) + flock(LOCK_UN) + close            (time budget, ops/s)
 *   list      opendir + getdents (128 dirents per call) until the end + closedir of the shared 10,000-entry
 *             directory                                                                  (time budget, listings/s)
 *   seq64k/seq4m  sequential write of the thread's share of 256 MiB with 64 KiB / 4 MiB buffers (open without
 *             truncation, positional writes, fsync, close), then sequential read of it (open, reads, close)
 *                                                                                         (fixed work, MiB/s)
 *   large     one new file of --seq-mib MiB in --seq-dir (open O_CREAT|O_EXCL, 4 MiB positional writes, fsync,
 *             close), read back (open, 4 MiB reads, close), unlinked: an upload's pattern, a new file each time,
 *             for the server part's large I/O (thread 0 only; not in the default --ops)    (one pass, seconds)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include <dirent.h>
#include <cephfs/libcephfs.h>

#define DIRENT_BUF (280 * 128) /* the Java binding's getdents buffer: 128 struct dirent */
#define READ_FILE_SIZE (1 << 20)
#define NOOP_BATCH 64 /* noop calls per clock check: the Java driver's batch too */

static const char *conf_path;
static const char *fs_name = "cephfs";
static const char *root;
static const char *list_dir;
static const char *seq_dir;
static int nthreads = 1;
static char ops_arg[256] = "noop,create,stat,read4k,lock,list,seq64k,seq4m";
static long fast_ms = 500, slow_ms = 1000, warmup_ms = 500, slow_warmup_ms = 1500, create_warmup_ms = 5000;
static int reps = 5, seq_reps = 3;
/* Set during a warm-up (before its threads start): create then reuses WARM_FILES names per thread. */
static int warming;
#define WARM_FILES 128
static long long seq_total = 256LL << 20;
/* --ceph-option name=value (repeatable): set with ceph_conf_set after ceph.conf, as the Java workers do */
#define MAX_CEPH_OPTIONS 32
static char *opt_name[MAX_CEPH_OPTIONS], *opt_value[MAX_CEPH_OPTIONS];
static int nopts;

typedef struct {
    int idx;
    struct ceph_mount_info *cm;
    char dir[512];
    char statfile[600];
    char lockfile[600];
    char seqfile[600];
    int readfd;
    char *buf;          /* 4 MiB, page aligned */
    long create_seq;
    long warm_seq;      /* create's warm-up: cycles over WARM_FILES names */
    /* per repetition */
    const char *op;
    long budget_ms;
    int seq_bs;
    long long seq_bytes;
    long long ops;
    double t_start, t_end;
    double cpu;         /* CPU seconds of this thread during the repetition */
    int err;
} worker_t;

static worker_t *workers;
static pthread_barrier_t gate;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double thread_cpu(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double t_begin;
static double last_cpu_per_op; /* CPU seconds per op (or per byte for seq*) of the last repetition */

static void progress(const char *what) {
    fprintf(stderr, "cephbench[%dt] %7.2f s  %s\n", nthreads, now() - t_begin, what);
}

static void die(const char *what, int rc) {
    fprintf(stderr, "cephbench: %s: %s (%d)\n", what, strerror(rc < 0 ? -rc : rc), rc);
    exit(1);
}

static void check(const char *what, int rc) {
    if (rc < 0) {
        die(what, rc);
    }
}

static struct ceph_mount_info *mount_one(void) {
    struct ceph_mount_info *cm;
    check("ceph_create", ceph_create(&cm, "admin"));
    check("ceph_conf_read_file", ceph_conf_read_file(cm, conf_path));
    for (int i = 0; i < nopts; i++) {
        int rc = ceph_conf_set(cm, opt_name[i], opt_value[i]);
        if (rc < 0) {
            fprintf(stderr, "cephbench: ceph_conf_set %s=%s: %s\n", opt_name[i], opt_value[i], strerror(-rc));
            exit(1);
        }
    }
    check("ceph_init", ceph_init(cm));
    check("ceph_select_filesystem", ceph_select_filesystem(cm, fs_name));
    check("ceph_mount", ceph_mount(cm, "/"));
    return cm;
}

static void write_all(struct ceph_mount_info *cm, const char *path, const char *buf, int len) {
    int fd = ceph_open(cm, path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    check(path, fd);
    for (int off = 0; off < len; off += 4096) {
        check("ceph_write", ceph_write(cm, fd, buf, 4096, off));
    }
    check("ceph_fsync", ceph_fsync(cm, fd, 0));
    check("ceph_close", ceph_close(cm, fd));
}

static void setup(worker_t *w) {
    w->cm = mount_one();
    snprintf(w->dir, sizeof w->dir, "%s/t%d", root, w->idx);
    char create_dir[600];
    snprintf(create_dir, sizeof create_dir, "%s/create", w->dir);
    int rc = ceph_mkdirs(w->cm, create_dir, 0755);
    if (rc < 0 && rc != -EEXIST) {
        die(create_dir, rc);
    }
    snprintf(w->statfile, sizeof w->statfile, "%s/data-1m", w->dir);
    snprintf(w->lockfile, sizeof w->lockfile, "%s/lockfile", w->dir);
    snprintf(w->seqfile, sizeof w->seqfile, "%s/seq-%dt-%d", seq_dir, nthreads, w->idx);
    if (posix_memalign((void **) &w->buf, 4096, 4 << 20) != 0) {
        die("posix_memalign", ENOMEM);
    }
    memset(w->buf, 'x', 4 << 20);
    write_all(w->cm, w->statfile, w->buf, READ_FILE_SIZE);
    write_all(w->cm, w->lockfile, w->buf, 4096);
    w->readfd = ceph_open(w->cm, w->statfile, O_RDONLY, 0);
    check("open read file", w->readfd);
    for (int off = 0; off < READ_FILE_SIZE; off += 4096) { /* warm the cache */
        check("ceph_read", ceph_read(w->cm, w->readfd, w->buf, 4096, off));
    }
}

static int list_once(worker_t *w, char *dents) {
    struct ceph_dir_result *dirp;
    check("ceph_opendir", ceph_opendir(w->cm, list_dir, &dirp));
    int count = 0;
    for (;;) {
        int n = ceph_getdents(w->cm, dirp, dents, DIRENT_BUF);
        check("ceph_getdents", n);
        if (n == 0) {
            break;
        }
        for (int at = 0; at + (int) sizeof(struct dirent) <= n; at += sizeof(struct dirent)) {
            struct dirent *d = (struct dirent *) (dents + at);
            if (strcmp(d->d_name, ".") != 0 && strcmp(d->d_name, "..") != 0) {
                count += strlen(d->d_name) > 0;
            }
        }
    }
    ceph_closedir(w->cm, dirp);
    return count;
}

static void *run_rep(void *arg) {
    worker_t *w = arg;
    struct ceph_mount_info *cm = w->cm;
    char path[700];
    static __thread char dents[DIRENT_BUF];
    pthread_barrier_wait(&gate);
    double cpu0 = thread_cpu();
    w->t_start = now();
    double deadline = w->t_start + w->budget_ms / 1000.0;
    long long ops = 0;
    const char *op = w->op;
    if (strcmp(op, "create") == 0) {
        do {
            if (warming) {
                snprintf(path, sizeof path, "%s/create/w%ld", w->dir, w->warm_seq++ % WARM_FILES);
            } else {
                snprintf(path, sizeof path, "%s/create/c%ld", w->dir, w->create_seq++);
            }
            int fd = ceph_open(cm, path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
            check("create open", fd);
            check("create write", ceph_write(cm, fd, w->buf, 4096, 0));
            check("create close", ceph_close(cm, fd));
            ops++;
        } while (now() < deadline);
    } else if (strcmp(op, "noop") == 0) {
        do {
            for (int i = 0; i < NOOP_BATCH; i++) {
                if (ceph_get_stripe_unit_granularity(cm) <= 0) {
                    die("ceph_get_stripe_unit_granularity", -EIO);
                }
            }
            ops += NOOP_BATCH;
        } while (now() < deadline);
    } else if (strcmp(op, "stat") == 0) {
        struct ceph_statx stx;
        do {
            check("ceph_statx", ceph_statx(cm, w->statfile, &stx, 0xfff, 0));
            ops++;
        } while (now() < deadline);
    } else if (strcmp(op, "read4k") == 0) {
        long long off = 0;
        do {
            int n = ceph_read(cm, w->readfd, w->buf, 4096, off);
            if (n != 4096) {
                die("read4k short read", n < 0 ? n : -EIO);
            }
            off = (off + 4096) & (READ_FILE_SIZE - 1);
            ops++;
        } while (now() < deadline);
    } else if (strcmp(op, "lock") == 0) {
        uint64_t owner = 0x10000 + w->idx;
        do {
            int fd = ceph_open(cm, w->lockfile, O_RDONLY, 0);
            check("lock open", fd);
            int rc = ceph_flock(cm, fd, LOCK_EX | LOCK_NB, owner);
            check("flock LOCK_EX", rc);
            check("flock LOCK_UN", ceph_flock(cm, fd, LOCK_UN, owner));
            check("lock close", ceph_close(cm, fd));
            ops++;
        } while (now() < deadline);
    } else if (strcmp(op, "list") == 0) {
        do {
            int n = list_once(w, dents);
            if (n != 10000) {
                fprintf(stderr, "cephbench: listing %s gave %d entries, expected 10000\n", list_dir, n);
                exit(1);
            }
            ops++;
        } while (now() < deadline);
    } else if (strcmp(op, "seqwrite") == 0) {
        int fd = ceph_open(cm, w->seqfile, O_CREAT | O_WRONLY, 0644);
        check("seq open", fd);
        for (long long off = 0; off < w->seq_bytes; off += w->seq_bs) {
            int n = ceph_write(cm, fd, w->buf, w->seq_bs, off);
            if (n != w->seq_bs) {
                die("seq write", n < 0 ? n : -EIO);
            }
        }
        check("seq fsync", ceph_fsync(cm, fd, 0));
        check("seq close", ceph_close(cm, fd));
        ops = w->seq_bytes;
    } else if (strcmp(op, "seqread") == 0) {
        int fd = ceph_open(cm, w->seqfile, O_RDONLY, 0);
        check("seq open", fd);
        for (long long off = 0; off < w->seq_bytes; off += w->seq_bs) {
            int n = ceph_read(cm, fd, w->buf, w->seq_bs, off);
            if (n != w->seq_bs) {
                die("seq read", n < 0 ? n : -EIO);
            }
        }
        check("seq close", ceph_close(cm, fd));
        ops = w->seq_bytes;
    } else {
        fprintf(stderr, "cephbench: unknown op %s\n", op);
        exit(2);
    }
    w->t_end = now();
    w->cpu = thread_cpu() - cpu0;
    w->ops = ops;
    return NULL;
}

/* One repetition on all threads; returns the aggregate rate (ops/s, or bytes/s for seq*). */
static double rep(const char *op, long budget_ms, int bs) {
    pthread_t *tids = calloc(nthreads, sizeof *tids);
    pthread_barrier_init(&gate, NULL, nthreads);
    for (int i = 0; i < nthreads; i++) {
        workers[i].op = op;
        workers[i].budget_ms = budget_ms;
        workers[i].seq_bs = bs;
        workers[i].seq_bytes = seq_total / nthreads;
        pthread_create(&tids[i], NULL, run_rep, &workers[i]);
    }
    double first = 1e300, last = 0, cpu = 0;
    long long total = 0;
    for (int i = 0; i < nthreads; i++) {
        pthread_join(tids[i], NULL);
        if (workers[i].t_start < first) first = workers[i].t_start;
        if (workers[i].t_end > last) last = workers[i].t_end;
        total += workers[i].ops;
        cpu += workers[i].cpu;
    }
    last_cpu_per_op = cpu / total;
    pthread_barrier_destroy(&gate);
    free(tids);
    return total / (last - first);
}

static int wanted(const char *op) {
    char copy[256];
    snprintf(copy, sizeof copy, "%s", ops_arg);
    for (char *save, *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (strcmp(t, op) == 0) {
            return 1;
        }
    }
    return 0;
}

static void timed(const char *op, long budget_ms) {
    if (!wanted(op)) {
        return;
    }
    warming = 1;
    rep(op, !strcmp(op, "create") ? create_warmup_ms : budget_ms == slow_ms ? slow_warmup_ms : warmup_ms, 0);
    warming = 0;
    double cpu[64];
    printf("RESULT\tc\t%s\t%d\tops/s\t", op, nthreads);
    for (int r = 0; r < reps && r < 64; r++) {
        printf("%s%.1f", r ? "," : "", rep(op, budget_ms, 0));
        cpu[r] = last_cpu_per_op * 1e6;
    }
    printf("\nCPU\tc\t%s\t%d\tus/op\t", op, nthreads);
    for (int r = 0; r < reps && r < 64; r++) {
        printf("%s%.4f", r ? "," : "", cpu[r]);
    }
    printf("\n");
    fflush(stdout);
    progress(op);
}

static void sequential(const char *name, int bs) {
    if (!wanted(name)) {
        return;
    }
    double w[16], rd[16], wc[16], rc[16];
    rep("seqwrite", 0, bs); /* warm-up pass: also allocates the file the first time */
    rep("seqread", 0, bs);
    for (int r = 0; r < seq_reps; r++) {
        w[r] = rep("seqwrite", 0, bs) / (1 << 20);
        wc[r] = last_cpu_per_op * (1 << 20) * 1e6;
        rd[r] = rep("seqread", 0, bs) / (1 << 20);
        rc[r] = last_cpu_per_op * (1 << 20) * 1e6;
    }
    printf("RESULT\tc\tseqwrite-%s\t%d\tMiB/s\t", name + 3, nthreads);
    for (int r = 0; r < seq_reps; r++) printf("%s%.1f", r ? "," : "", w[r]);
    printf("\nCPU\tc\tseqwrite-%s\t%d\tus/MiB\t", name + 3, nthreads);
    for (int r = 0; r < seq_reps; r++) printf("%s%.1f", r ? "," : "", wc[r]);
    printf("\nRESULT\tc\tseqread-%s\t%d\tMiB/s\t", name + 3, nthreads);
    for (int r = 0; r < seq_reps; r++) printf("%s%.1f", r ? "," : "", rd[r]);
    printf("\nCPU\tc\tseqread-%s\t%d\tus/MiB\t", name + 3, nthreads);
    for (int r = 0; r < seq_reps; r++) printf("%s%.1f", r ? "," : "", rc[r]);
    printf("\n");
    fflush(stdout);
    progress(name);
}

/* The "large" op (see the header): prints RESULT c large-write / large-read 1 s <seconds>. */
static void large(void) {
    if (!wanted("large")) {
        return;
    }
    worker_t *w = &workers[0];
    struct ceph_mount_info *cm = w->cm;
    int rc = ceph_mkdirs(cm, seq_dir, 0755);
    if (rc < 0 && rc != -EEXIST) {
        die(seq_dir, rc);
    }
    char path[700];
    snprintf(path, sizeof path, "%s/large-%ld", seq_dir, (long) getpid());
    const int bs = 4 << 20;
    double t0 = now(), c0 = thread_cpu();
    int fd = ceph_open(cm, path, O_CREAT | O_EXCL | O_WRONLY, 0644);
    check(path, fd);
    for (long long off = 0; off < seq_total; off += bs) {
        int n = ceph_write(cm, fd, w->buf, bs, off);
        if (n != bs) {
            die("large write", n < 0 ? n : -EIO);
        }
    }
    check("large fsync", ceph_fsync(cm, fd, 0));
    check("large close", ceph_close(cm, fd));
    double t1 = now(), c1 = thread_cpu();
    fd = ceph_open(cm, path, O_RDONLY, 0);
    check(path, fd);
    for (long long off = 0; off < seq_total; off += bs) {
        int n = ceph_read(cm, fd, w->buf, bs, off);
        if (n != bs) {
            die("large read", n < 0 ? n : -EIO);
        }
    }
    check("large close", ceph_close(cm, fd));
    double t2 = now(), c2 = thread_cpu();
    check("large unlink", ceph_unlink(cm, path));
    printf("RESULT\tc\tlarge-write\t1\ts\t%.4f\n", t1 - t0);
    printf("CPU\tc\tlarge-write\t1\ts\t%.4f\n", c1 - c0);
    printf("RESULT\tc\tlarge-read\t1\ts\t%.4f\n", t2 - t1);
    printf("CPU\tc\tlarge-read\t1\ts\t%.4f\n", c2 - c1);
    fflush(stdout);
    progress("large");
}

static void usage(void) {
    fprintf(stderr, "usage: cephbench --conf CEPH_CONF --root DIR --list-dir DIR --seq-dir DIR [--fs NAME] [--threads N]\n"
                    "  [--ops noop,create,stat,read4k,lock,list,seq64k,seq4m,large] [--fast-ms 500] [--slow-ms 1000]\n"
                    "  [--warmup-ms 500] [--slow-warmup-ms 1500] [--create-warmup-ms 5000] [--reps 5] [--seq-reps 3] [--seq-mib 256]\n"
                    "  [--ceph-option name=value]...\n");
    exit(2);
}

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (i + 1 >= argc) usage();
        const char *v = argv[++i];
        if (!strcmp(a, "--conf")) conf_path = v;
        else if (!strcmp(a, "--fs")) fs_name = v;
        else if (!strcmp(a, "--root")) root = v;
        else if (!strcmp(a, "--list-dir")) list_dir = v;
        else if (!strcmp(a, "--seq-dir")) seq_dir = v;
        else if (!strcmp(a, "--threads")) nthreads = atoi(v);
        else if (!strcmp(a, "--ops")) snprintf(ops_arg, sizeof ops_arg, "%s", v);
        else if (!strcmp(a, "--fast-ms")) fast_ms = atol(v);
        else if (!strcmp(a, "--slow-ms")) slow_ms = atol(v);
        else if (!strcmp(a, "--warmup-ms")) warmup_ms = atol(v);
        else if (!strcmp(a, "--slow-warmup-ms")) slow_warmup_ms = atol(v);
        else if (!strcmp(a, "--create-warmup-ms")) create_warmup_ms = atol(v);
        else if (!strcmp(a, "--reps")) reps = atoi(v);
        else if (!strcmp(a, "--seq-reps")) seq_reps = atoi(v);
        else if (!strcmp(a, "--seq-mib")) seq_total = atoll(v) << 20;
        else if (!strcmp(a, "--ceph-option")) {
            const char *eq = strchr(v, '=');
            if (!eq || eq == v || nopts == MAX_CEPH_OPTIONS) usage();
            opt_name[nopts] = strndup(v, eq - v);
            opt_value[nopts++] = strdup(eq + 1);
        }
        else usage();
    }
    if (!conf_path || !root || !list_dir || !seq_dir || nthreads < 1 || nthreads > 64 || seq_reps > 16) usage();
    t_begin = now();
    workers = calloc(nthreads, sizeof *workers);
    for (int i = 0; i < nthreads; i++) {
        workers[i].idx = i;
        setup(&workers[i]);
    }
    progress("mounted and set up");
    /* CONF c name=value, ...: the options as the client reports them (the harness prints them in its report) */
    printf("CONF\tc\t");
    for (int i = 0; i < nopts; i++) {
        char b[256] = "";
        ceph_conf_get(workers[0].cm, opt_name[i], b, sizeof b);
        printf("%s%s=%s", i ? ", " : "", opt_name[i], b);
    }
    printf("\n");
    fflush(stdout);
    timed("noop", fast_ms);
    timed("create", slow_ms);
    timed("stat", fast_ms);
    timed("read4k", fast_ms);
    timed("lock", slow_ms);
    timed("list", slow_ms);
    sequential("seq64k", 64 << 10);
    sequential("seq4m", 4 << 20);
    large();
    for (int i = 0; i < nthreads; i++) {
        ceph_close(workers[i].cm, workers[i].readfd);
        ceph_unmount(workers[i].cm);
        ceph_release(workers[i].cm);
    }
    progress("unmounted");
    return 0;
}
