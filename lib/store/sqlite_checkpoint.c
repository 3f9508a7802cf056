/* Checkpoints in a thread of their own.
 *
 * In WAL mode SQLite copies the log back into the database every 1,000
 * pages by default, in the thread that has just committed, and with
 * synchronous=NORMAL that copy ends with an fsync. For ingest that thread
 * is the one writer every page waits for: on the bench WARC the writer sat
 * in those syncs long enough that ingest ran 11 % slower on disk than on
 * tmpfs. A writable store therefore hands its checkpoints to a thread with
 * its own connection: the commit only notes that the log has grown, and a
 * PASSIVE checkpoint (it never blocks the writer, nor waits for it) runs
 * beside the next batches. Closing the store stops the thread first, so
 * the writer's connection is the last one and checkpoints what is left, as
 * before. If the thread or its connection cannot start, SQLite's own
 * checkpoints stay. */
#include <pthread.h>
#include <stdlib.h>
#include "sqlite_int.h"

#define SQ_CHECKPOINT_PAGES 1000   /* SQLite's own default */

struct sq_checkpointer {
    sqlite3 *db;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t wake;
    bool due, quit;
};

static int on_commit(void *ctx, sqlite3 *db, const char *name, int pages)
{
    (void)db;
    (void)name;
    struct sq_checkpointer *c = ctx;
    if (pages >= SQ_CHECKPOINT_PAGES) {
        pthread_mutex_lock(&c->mu);
        c->due = true;
        pthread_cond_signal(&c->wake);
        pthread_mutex_unlock(&c->mu);
    }
    return SQLITE_OK;
}

static void *run(void *arg)
{
    struct sq_checkpointer *c = arg;
    pthread_mutex_lock(&c->mu);
    for (;;) {
        while (!c->due && !c->quit)
            pthread_cond_wait(&c->wake, &c->mu);
        if (c->quit)
            break;
        c->due = false;
        pthread_mutex_unlock(&c->mu);
        /* busy (another checkpoint, a reader at the log's end) only means
         * later: the next commit over the mark asks again */
        sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        pthread_mutex_lock(&c->mu);
    }
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

void sq_checkpointer_start(sr_sqlite *q, const char *path)
{
    struct sq_checkpointer *c = calloc(1, sizeof *c);
    if (!c)
        return;
    if (sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        sqlite3_close(c->db);
        free(c);
        return;
    }
    sqlite3_busy_timeout(c->db, 1000);
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->wake, NULL);
    if (pthread_create(&c->thread, NULL, run, c) != 0) {
        pthread_mutex_destroy(&c->mu);
        pthread_cond_destroy(&c->wake);
        sqlite3_close(c->db);
        free(c);
        return;
    }
    sqlite3_wal_hook(q->db, on_commit, c);   /* in place of SQLite's own checkpoints */
    q->checkpointer = c;
}

void sq_checkpointer_stop(sr_sqlite *q)
{
    struct sq_checkpointer *c = q->checkpointer;
    if (!c)
        return;
    sqlite3_wal_hook(q->db, NULL, NULL);
    pthread_mutex_lock(&c->mu);
    c->quit = true;
    pthread_cond_signal(&c->wake);
    pthread_mutex_unlock(&c->mu);
    pthread_join(c->thread, NULL);
    sqlite3_close(c->db);
    pthread_mutex_destroy(&c->mu);
    pthread_cond_destroy(&c->wake);
    free(c);
    q->checkpointer = NULL;
}
