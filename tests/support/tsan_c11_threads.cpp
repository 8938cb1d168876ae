// ThreadSanitizer builds only (preset tsan): C11 <threads.h> functions that forward to their
// pthread counterparts.
//
// Why: librdkafka makes its threads, mutexes and condition variables with C11 thrd_create,
// mtx_lock, cnd_wait. glibc implements those by calling its pthread internals directly, not
// through the symbols ThreadSanitizer intercepts, so TSan never learns of librdkafka's threads
// (it crashed in its allocator the first time one of them called malloc) nor of the locks that
// order their memory accesses. Defined in the executable, these definitions take precedence over
// glibc's for librdkafka too, and the pthread calls below are the intercepted ones. The types
// match: glibc's mtx_t and cnd_t are pthread_mutex_t and pthread_cond_t in size and layout.

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <ctime>

#include <pthread.h>
#include <threads.h>

namespace {

struct Start
{
    thrd_start_t func;
    void *arg;
};

void *trampoline(void *raw)
{
    Start start = *static_cast<Start *>(raw);
    std::free(raw);
    return reinterpret_cast<void *>(static_cast<std::intptr_t>(start.func(start.arg)));
}

int toThrd(int rc)
{
    switch (rc) {
    case 0: return thrd_success;
    case ETIMEDOUT: return thrd_timedout;
    case EBUSY: return thrd_busy;
    case ENOMEM: return thrd_nomem;
    default: return thrd_error;
    }
}

pthread_mutex_t *asPthread(mtx_t *m)
{
    return reinterpret_cast<pthread_mutex_t *>(m);
}

pthread_cond_t *asPthread(cnd_t *c)
{
    return reinterpret_cast<pthread_cond_t *>(c);
}

static_assert(sizeof(mtx_t) == sizeof(pthread_mutex_t));
static_assert(sizeof(cnd_t) == sizeof(pthread_cond_t));

} // namespace

extern "C" {

int thrd_create(thrd_t *thr, thrd_start_t func, void *arg)
{
    auto *start = static_cast<Start *>(std::malloc(sizeof(Start)));
    if (!start)
        return thrd_nomem;
    *start = Start{func, arg};
    pthread_t id;
    const int rc = pthread_create(&id, nullptr, trampoline, start);
    if (rc != 0) {
        std::free(start);
        return toThrd(rc);
    }
    *thr = id;
    return thrd_success;
}

int thrd_join(thrd_t thr, int *res)
{
    void *ret = nullptr;
    const int rc = pthread_join(thr, &ret);
    if (rc == 0 && res)
        *res = static_cast<int>(reinterpret_cast<std::intptr_t>(ret));
    return toThrd(rc);
}

int thrd_detach(thrd_t thr)
{
    return toThrd(pthread_detach(thr));
}

int mtx_init(mtx_t *mutex, int type)
{
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    if (type & mtx_recursive)
        pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
    const int rc = pthread_mutex_init(asPthread(mutex), &attr);
    pthread_mutexattr_destroy(&attr);
    return toThrd(rc);
}

int mtx_lock(mtx_t *mutex)
{
    return toThrd(pthread_mutex_lock(asPthread(mutex)));
}

int mtx_trylock(mtx_t *mutex)
{
    return toThrd(pthread_mutex_trylock(asPthread(mutex)));
}

int mtx_unlock(mtx_t *mutex)
{
    return toThrd(pthread_mutex_unlock(asPthread(mutex)));
}

void mtx_destroy(mtx_t *mutex)
{
    pthread_mutex_destroy(asPthread(mutex));
}

int cnd_init(cnd_t *cond)
{
    return toThrd(pthread_cond_init(asPthread(cond), nullptr));
}

int cnd_signal(cnd_t *cond)
{
    return toThrd(pthread_cond_signal(asPthread(cond)));
}

int cnd_broadcast(cnd_t *cond)
{
    return toThrd(pthread_cond_broadcast(asPthread(cond)));
}

int cnd_wait(cnd_t *cond, mtx_t *mutex)
{
    return toThrd(pthread_cond_wait(asPthread(cond), asPthread(mutex)));
}

// C11's TIME_UTC deadline is CLOCK_REALTIME, pthread_cond_timedwait's default clock.
int cnd_timedwait(cnd_t *cond, mtx_t *mutex, const struct timespec *deadline)
{
    return toThrd(pthread_cond_timedwait(asPthread(cond), asPthread(mutex), deadline));
}

void cnd_destroy(cnd_t *cond)
{
    pthread_cond_destroy(asPthread(cond));
}

void call_once(once_flag *flag, void (*func)(void))
{
    pthread_once(reinterpret_cast<pthread_once_t *>(flag), func);
}

} // extern "C"
