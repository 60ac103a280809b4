#include "sim/workload/behaviours.h"

#include "kut/guest.h"

namespace x86sim::sim::workload {

using cpu::UserStep;

namespace {

class CpuHog : public TaskBehaviour {
  public:
    CpuHog(std::uint64_t burst_ps, EntryStats& stats) : burst_ps_(burst_ps), stats_(stats) {}
    UserStep next(std::uint64_t) override {
        if (started_) {
            ++stats_.ops;
        }
        started_ = true;
        return UserStep::run(burst_ps_);
    }

  private:
    std::uint64_t burst_ps_;
    EntryStats& stats_;
    bool started_ = false;
};

// Burst, then a system call; an op per completed burst.
class BurstThenCall : public TaskBehaviour {
  public:
    BurstThenCall(std::uint64_t burst_ps, std::uint32_t number, std::uint64_t arg0, EntryStats& stats)
        : burst_ps_(burst_ps), number_(number), arg0_(arg0), stats_(stats) {}
    UserStep next(std::uint64_t) override {
        if (!in_burst_) {
            in_burst_ = true;
            return UserStep::run(burst_ps_);
        }
        in_burst_ = false;
        ++stats_.ops;
        return UserStep::syscall(number_, arg0_);
    }

  private:
    std::uint64_t burst_ps_;
    std::uint32_t number_;
    std::uint64_t arg0_;
    EntryStats& stats_;
    bool in_burst_ = false;
};

class PeriodicProbe : public TaskBehaviour {
  public:
    PeriodicProbe(std::uint64_t period_ps, std::uint64_t work_ps, EntryStats& stats)
        : period_ps_(period_ps), work_ps_(work_ps), stats_(stats) {
        stats_.has_latency = true;
    }
    UserStep next(std::uint64_t now) override {
        switch (phase_) {
        case Phase::Start:
            release_ps_ = next_release_after(now);
            phase_ = Phase::Waiting;
            return UserStep::syscall(KUT_SYS_SLEEP, release_ps_ - now);
        case Phase::Waiting:
            if (now < release_ps_) {
                return UserStep::syscall(KUT_SYS_SLEEP, release_ps_ - now); // woken early: sleep again
            }
            stats_.latencies_ps.push_back(now - release_ps_); // release -> start of work
            phase_ = Phase::Working;
            if (work_ps_ > 0) {
                return UserStep::run(work_ps_);
            }
            [[fallthrough]];
        case Phase::Working: {
            ++stats_.ops;
            auto next_release = release_ps_ + period_ps_;
            if (next_release <= now) {
                const auto skipped = next_release_after(now);
                stats_.missed += (skipped - next_release) / period_ps_;
                next_release = skipped;
            }
            release_ps_ = next_release;
            phase_ = Phase::Waiting;
            return UserStep::syscall(KUT_SYS_SLEEP, release_ps_ - now);
        }
        }
        return UserStep::run(period_ps_);
    }

  private:
    enum class Phase { Start, Waiting, Working };
    std::uint64_t next_release_after(std::uint64_t now) const { return (now / period_ps_ + 1) * period_ps_; }

    std::uint64_t period_ps_;
    std::uint64_t work_ps_;
    EntryStats& stats_;
    Phase phase_ = Phase::Start;
    std::uint64_t release_ps_ = 0;
};

class ExitAtOnce : public TaskBehaviour {
  public:
    UserStep next(std::uint64_t) override { return UserStep::syscall(KUT_SYS_EXIT); }
};

class PingPongSide : public TaskBehaviour {
  public:
    PingPongSide(std::shared_ptr<PingPongPair> pair, bool initiator, std::uint64_t work_ps, EntryStats& stats)
        : pair_(std::move(pair)), initiator_(initiator), work_ps_(work_ps), stats_(stats),
          phase_(initiator ? Phase::Work : Phase::Wait) {}

    UserStep next(std::uint64_t) override {
        for (;;) {
            switch (phase_) {
            case Phase::Work:
                phase_ = Phase::Post;
                if (work_ps_ > 0) {
                    return UserStep::run(work_ps_);
                }
                continue;
            case Phase::Post:
                ++partner_tokens();
                phase_ = Phase::Wait;
                return UserStep::syscall(KUT_SYS_WAKE, partner());
            case Phase::Wait:
                if (own_tokens() > 0) {
                    --own_tokens();
                    if (initiator_) {
                        ++stats_.ops; // a -> b -> a: one round trip
                    }
                    phase_ = Phase::Work;
                    continue;
                }
                return UserStep::syscall(KUT_SYS_BLOCK); // phase stays Wait: check again when it runs
            }
        }
    }

  private:
    enum class Phase { Work, Post, Wait };
    std::uint64_t& own_tokens() { return initiator_ ? pair_->tokens_a : pair_->tokens_b; }
    std::uint64_t& partner_tokens() { return initiator_ ? pair_->tokens_b : pair_->tokens_a; }
    kut_task_id partner() const { return initiator_ ? pair_->b : pair_->a; }

    std::shared_ptr<PingPongPair> pair_;
    bool initiator_;
    std::uint64_t work_ps_;
    EntryStats& stats_;
    Phase phase_;
};

class Spawner : public TaskBehaviour {
  public:
    Spawner(std::uint64_t threads, std::int32_t task_class, std::int32_t level, SpawnerHooks hooks,
            EntryStats& stats)
        : remaining_(threads), class_(task_class), level_(level), hooks_(std::move(hooks)), stats_(stats) {}

    UserStep next(std::uint64_t) override {
        if (remaining_ == 0) {
            return UserStep::syscall(KUT_SYS_EXIT);
        }
        --remaining_;
        pending_ = hooks_.create_thread();
        return UserStep::syscall(KUT_SYS_THREAD_CREATE, pending_, static_cast<std::uint64_t>(class_),
                                 static_cast<std::uint64_t>(static_cast<std::int64_t>(level_)));
    }
    void returned(std::uint32_t number, std::int64_t result, std::uint64_t) override {
        if (number != KUT_SYS_THREAD_CREATE) {
            return;
        }
        if (result == 0) {
            ++stats_.ops;
        } else {
            hooks_.failed(pending_);
        }
    }

  private:
    std::uint64_t remaining_;
    std::int32_t class_;
    std::int32_t level_;
    SpawnerHooks hooks_;
    EntryStats& stats_;
    kut_task_id pending_ = 0;
};

} // namespace

std::unique_ptr<TaskBehaviour> make_cpu_hog(std::uint64_t burst_ps, EntryStats& stats) {
    return std::make_unique<CpuHog>(burst_ps, stats);
}

std::unique_ptr<TaskBehaviour> make_yielder(std::uint64_t burst_ps, EntryStats& stats) {
    return std::make_unique<BurstThenCall>(burst_ps, KUT_SYS_YIELD, 0, stats);
}

std::unique_ptr<TaskBehaviour> make_sleeper(std::uint64_t burst_ps, std::uint64_t sleep_ps,
                                            EntryStats& stats) {
    return std::make_unique<BurstThenCall>(burst_ps, KUT_SYS_SLEEP, sleep_ps, stats);
}

std::unique_ptr<TaskBehaviour> make_periodic_probe(std::uint64_t period_ps, std::uint64_t work_ps,
                                                   EntryStats& stats) {
    return std::make_unique<PeriodicProbe>(period_ps, work_ps, stats);
}

std::unique_ptr<TaskBehaviour> make_exit_at_once() {
    return std::make_unique<ExitAtOnce>();
}

std::unique_ptr<TaskBehaviour> make_ping_pong_side(std::shared_ptr<PingPongPair> pair, bool initiator,
                                                   std::uint64_t work_ps, EntryStats& stats) {
    return std::make_unique<PingPongSide>(std::move(pair), initiator, work_ps, stats);
}

std::unique_ptr<TaskBehaviour> make_spawner(std::uint64_t threads, std::int32_t task_class,
                                            std::int32_t level, SpawnerHooks hooks, EntryStats& stats) {
    return std::make_unique<Spawner>(threads, task_class, level, std::move(hooks), stats);
}

} // namespace x86sim::sim::workload
