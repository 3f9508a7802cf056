/* The pool: analysers in threads, their results written in order.
 *
 * Jobs sit in a ring. The submitting thread fills the next free job (a copy
 * of the page in the job's own arena), any idle worker takes the oldest
 * queued job and analyses it, and the writing thread -- the only one that
 * touches the store -- writes finished jobs strictly in submission order,
 * then frees them. A page that is slow to analyse holds back the writing
 * of the pages after it, never their analysis: the ring has several jobs
 * per worker so the workers stay busy meanwhile. The ring is the bound on
 * memory.
 *
 * Usually the submitter is the writer: a full ring makes it write (and so
 * wait) before it can queue again. Fed (pl_pool_feed), a thread of its own
 * submits -- the WARC reader -- while another writes: a full ring makes the
 * feeder wait for the writer to free a job, and a long write (a commit
 * indexing a batch for search) no longer stops the feeding, so the workers
 * go on with what the feeder queues meanwhile. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "pipeline_int.h"

/* Jobs per worker: enough to keep every worker busy behind one slow page
 * and, fed, through a commit. Pages are written in order, so while the
 * oldest page is still being analysed the others' results wait in the
 * ring; with 4 jobs a worker the ring filled behind slow pages and a core
 * idled. A commit indexes its batch for search, tens of milliseconds in
 * which the workers go on only while the ring has room: on the bench WARC
 * (4,480 pages, two workers, fed) with 16 jobs a worker each worker waited
 * for work 2.0 s of a 4.7 s run, with 64 some 0.1 s, for 65 MB more peak
 * memory, which stays flat in the number of pages. */
#define JOBS_PER_WORKER 64

/* The writer is the one stage that cannot be shared out: while it waits
 * for a core, everything behind it waits too. Workers run this much nicer
 * than the rest of the process, so the writer (and the feeder) run as soon
 * as they can and the workers take every cycle left; on the bench WARC on
 * two cores the run took 12 % less wall time than with workers at the
 * writer's priority (nice 19 did no better than 10). */
#define WORKER_NICENESS 10

enum job_state { JOB_FREE, JOB_QUEUED, JOB_WORKING, JOB_DONE };

typedef struct pl_job {
    enum job_state state;
    sr_page page;              /* the submitted page, copied into arena */
    sr_arena *arena;           /* the page and all its analysis */
    pl_analysis an;
    sr_pipeline_done_fn done;
    void *ctx;
} pl_job;

struct pl_pool {
    pthread_mutex_t mu;
    pthread_cond_t queued;     /* a job was queued, or the pool stops */
    pthread_cond_t finished;   /* a job was analysed */
    pthread_cond_t started;    /* a thread has its analyser, or could not make it */
    pthread_cond_t freed;      /* fed: the writer freed a job */
    pl_job *jobs;
    size_t n_jobs;
    /* counters of jobs ever submitted, taken by a worker, written; the job
     * for number i is jobs[i % n_jobs] */
    unsigned long long submitted, taken, written;
    bool stopping;
    bool fed;                  /* a feeder thread submits; another writes */
    pthread_t *threads;
    int n_threads, n_ready, n_failed;
    const sr_code_dict *dict;
    const sr_gazetteer *gaz;
    pl_write_fn write;
    pl_prepare_fn prepare;
    void *writer;
};

static void *work(void *arg);
static void write_finished(pl_pool *pool, bool wait);
static sr_err copy_page(pl_job *j, const sr_page *pg);
static const char *copy_str(sr_arena *a, const char *s);
static pl_job *next_free_job(pl_pool *pool);
static void queue(pl_pool *pool, pl_job *j, sr_pipeline_done_fn done, void *ctx);

size_t pl_pool_capacity(int threads)
{
    return (size_t)threads * JOBS_PER_WORKER;
}

pl_pool *pl_pool_new(int threads, const sr_code_dict *dict, const sr_gazetteer *gaz,
                     pl_write_fn write, pl_prepare_fn prepare, void *writer)
{
    pl_pool *pool = calloc(1, sizeof *pool);
    if (!pool)
        return NULL;
    pool->dict = dict;
    pool->gaz = gaz;
    pool->write = write;
    pool->prepare = prepare;
    pool->writer = writer;
    pool->n_jobs = pl_pool_capacity(threads);
    pool->jobs = calloc(pool->n_jobs, sizeof *pool->jobs);
    pool->threads = calloc((size_t)threads, sizeof *pool->threads);
    pthread_mutex_init(&pool->mu, NULL);
    pthread_cond_init(&pool->queued, NULL);
    pthread_cond_init(&pool->finished, NULL);
    pthread_cond_init(&pool->started, NULL);
    pthread_cond_init(&pool->freed, NULL);
    bool ok = pool->jobs && pool->threads;
    for (size_t i = 0; ok && i < pool->n_jobs; i++)
        ok = (pool->jobs[i].arena = sr_arena_new(PL_PAGE_ARENA_MAX)) != NULL;
    for (int i = 0; ok && i < threads; i++)
        if (pthread_create(&pool->threads[pool->n_threads], NULL, work, pool) == 0)
            pool->n_threads++;
    pthread_mutex_lock(&pool->mu);
    while (pool->n_ready + pool->n_failed < pool->n_threads)
        pthread_cond_wait(&pool->started, &pool->mu);
    pthread_mutex_unlock(&pool->mu);
    if (!pool->n_ready) {
        pl_pool_free(pool);
        return NULL;
    }
    return pool;
}

void pl_pool_free(pl_pool *pool)
{
    if (!pool)
        return;
    pl_pool_drain(pool);
    pthread_mutex_lock(&pool->mu);
    pool->stopping = true;
    pthread_cond_broadcast(&pool->queued);
    pthread_mutex_unlock(&pool->mu);
    for (int i = 0; i < pool->n_threads; i++)
        pthread_join(pool->threads[i], NULL);
    for (size_t i = 0; pool->jobs && i < pool->n_jobs; i++)
        sr_arena_free(pool->jobs[i].arena);
    pthread_mutex_destroy(&pool->mu);
    pthread_cond_destroy(&pool->queued);
    pthread_cond_destroy(&pool->finished);
    pthread_cond_destroy(&pool->started);
    pthread_cond_destroy(&pool->freed);
    free(pool->jobs);
    free(pool->threads);
    free(pool);
}

sr_err pl_pool_submit(pl_pool *pool, const sr_page *pg, sr_pipeline_done_fn done, void *ctx)
{
    pl_job *j = next_free_job(pool);
    sr_err e = copy_page(j, pg);
    if (e)
        return e;
    queue(pool, j, done, ctx);
    return SR_OK;
}

sr_arena *pl_pool_page_arena(pl_pool *pool)
{
    pl_job *j = next_free_job(pool);
    sr_arena_reset(j->arena);
    return j->arena;
}

sr_err pl_pool_submit_built(pl_pool *pool, const sr_page *pg, sr_pipeline_done_fn done, void *ctx)
{
    /* still free: pl_pool_page_arena waited for it, and only this thread
     * queues jobs or frees them */
    pl_job *j = &pool->jobs[pool->submitted % pool->n_jobs];
    j->page = *pg;
    j->page.source = copy_str(j->arena, pg->source);
    if (pg->source && !j->page.source)
        return SR_ENOMEM;
    queue(pool, j, done, ctx);
    return SR_OK;
}

/* The job to fill next; a full ring: it is the oldest one, written first
 * (fed, by the writer). A free job belongs to the submitter alone. */
static pl_job *next_free_job(pl_pool *pool)
{
    pthread_mutex_lock(&pool->mu);
    pl_job *j = &pool->jobs[pool->submitted % pool->n_jobs];
    while (j->state != JOB_FREE) {
        if (pool->fed)
            pthread_cond_wait(&pool->freed, &pool->mu);
        else
            write_finished(pool, true);
    }
    pthread_mutex_unlock(&pool->mu);
    return j;
}

static void queue(pl_pool *pool, pl_job *j, sr_pipeline_done_fn done, void *ctx)
{
    j->done = done;
    j->ctx = ctx;
    pthread_mutex_lock(&pool->mu);
    j->state = JOB_QUEUED;
    pool->submitted++;
    pthread_cond_signal(&pool->queued);
    if (!pool->fed)
        write_finished(pool, false);
    pthread_mutex_unlock(&pool->mu);
}

struct feeding {
    pl_pool *pool;
    int (*feed)(void *ctx);
    void *ctx;
    int result;
};

static void *run_feeder(void *arg)
{
    struct feeding *f = arg;
    f->result = f->feed(f->ctx);
    pthread_mutex_lock(&f->pool->mu);
    f->pool->fed = false;
    pthread_cond_broadcast(&f->pool->finished);  /* the writer may be waiting for the end */
    pthread_mutex_unlock(&f->pool->mu);
    return NULL;
}

int pl_pool_feed(pl_pool *pool, int (*feed)(void *ctx), void *ctx, bool *started)
{
    struct feeding f = {pool, feed, ctx, 0};
    pl_pool_drain(pool);
    pthread_mutex_lock(&pool->mu);
    pool->fed = true;
    pthread_mutex_unlock(&pool->mu);
    pthread_t feeder;
    if (pthread_create(&feeder, NULL, run_feeder, &f) != 0) {
        pthread_mutex_lock(&pool->mu);
        pool->fed = false;
        pthread_mutex_unlock(&pool->mu);
        *started = false;
        return 0;
    }
    *started = true;
    pthread_mutex_lock(&pool->mu);
    for (;;) {
        write_finished(pool, false);
        if (!pool->fed && pool->written == pool->submitted)
            break;
        pthread_cond_wait(&pool->finished, &pool->mu);
    }
    pthread_mutex_unlock(&pool->mu);
    pthread_join(feeder, NULL);
    return f.result;
}

void pl_pool_drain(pl_pool *pool)
{
    pthread_mutex_lock(&pool->mu);
    while (pool->written < pool->submitted)
        write_finished(pool, true);
    pthread_mutex_unlock(&pool->mu);
}

/* Write the finished jobs that are next in order; with `wait`, wait for the
 * next one to finish first. Called with the lock held; the lock is let go
 * while writing, so workers can hand in their jobs meanwhile. */
static void write_finished(pl_pool *pool, bool wait)
{
    while (pool->written < pool->submitted) {
        pl_job *j = &pool->jobs[pool->written % pool->n_jobs];
        if (j->state != JOB_DONE) {
            if (!wait)
                return;
            pthread_cond_wait(&pool->finished, &pool->mu);
            continue;
        }
        pthread_mutex_unlock(&pool->mu);
        pool->write(pool->writer, &j->page, &j->an, j->done, j->ctx);
        pthread_mutex_lock(&pool->mu);
        j->state = JOB_FREE;
        pool->written++;
        /* the feeder waits for a full ring to have room again: wake it
         * once a few jobs are free, not for each one */
        if (pool->fed && pool->written + pool->n_jobs - pool->submitted >= pool->n_jobs / 4)
            pthread_cond_signal(&pool->freed);
        wait = false;
    }
}

static void *work(void *arg)
{
    pl_pool *pool = arg;
    /* Linux gives each thread a nice value of its own; where it cannot be
     * raised the worker runs at the writer's priority, as before */
    setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), getpriority(PRIO_PROCESS, 0) + WORKER_NICENESS);
    pl_analyser an;
    sr_err e = pl_analyser_init(&an, pool->dict, pool->gaz);
    pthread_mutex_lock(&pool->mu);
    if (e)
        pool->n_failed++;
    else
        pool->n_ready++;
    pthread_cond_signal(&pool->started);
    while (!e) {
        while (!pool->stopping && pool->taken == pool->submitted)
            pthread_cond_wait(&pool->queued, &pool->mu);
        if (pool->taken == pool->submitted)
            break;  /* stopping, and nothing is left to take */
        pl_job *j = &pool->jobs[pool->taken++ % pool->n_jobs];
        j->state = JOB_WORKING;
        pthread_mutex_unlock(&pool->mu);
        pl_analyse(&an, j->arena, &j->page, &j->an);
        if (pool->prepare && !j->an.err)
            pool->prepare(pool->writer, &j->an);
        pthread_mutex_lock(&pool->mu);
        j->state = JOB_DONE;
        /* the writer waits for the oldest job alone */
        if (j == &pool->jobs[pool->written % pool->n_jobs])
            pthread_cond_signal(&pool->finished);
    }
    pthread_mutex_unlock(&pool->mu);
    if (!e)
        pl_analyser_fini(&an);
    return NULL;
}

static const char *copy_str(sr_arena *a, const char *s)
{
    return s ? sr_arena_strdup(a, s) : NULL;
}

static sr_err copy_page(pl_job *j, const sr_page *pg)
{
    sr_arena_reset(j->arena);
    j->page = *pg;
    char *body = sr_arena_alloc(j->arena, pg->len + 1);
    if (!body)
        return SR_ENOMEM;
    memcpy(body, pg->body, pg->len);
    body[pg->len] = 0;
    j->page.body = body;
    j->page.source = copy_str(j->arena, pg->source);
    j->page.url = copy_str(j->arena, pg->url);
    j->page.content_type = copy_str(j->arena, pg->content_type);
    if ((pg->source && !j->page.source) || (pg->url && !j->page.url) ||
        (pg->content_type && !j->page.content_type))
        return SR_ENOMEM;
    return SR_OK;
}
