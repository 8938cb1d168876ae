#pragma once

// Clock: where core reads the time, so that timestamp tolerance, dedup TTL and backoff can be
// tested by advancing a ManualClock instead of sleeping.

#include <atomic>

#include <QtGlobal>

namespace hookbench {

class Clock
{
public:
    virtual ~Clock() = default;
    // Wall-clock time in milliseconds since the Unix epoch.
    virtual qint64 nowMs() const = 0;
    qint64 nowSecs() const { return nowMs() / 1000; }
};

class SystemClock final : public Clock
{
public:
    qint64 nowMs() const override;
    // The process-wide system clock; lives for the whole program.
    static const Clock &instance();
};

class ManualClock final : public Clock
{
public:
    explicit ManualClock(qint64 startMs = 1'700'000'000'000) : m_nowMs(startMs) {}
    qint64 nowMs() const override { return m_nowMs.load(); }
    void setMs(qint64 ms) { m_nowMs.store(ms); }
    void advanceMs(qint64 deltaMs) { m_nowMs.fetch_add(deltaMs); }

private:
    std::atomic<qint64> m_nowMs;
};

} // namespace hookbench
