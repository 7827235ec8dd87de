#include "addon/CallQueue.h"

#include <algorithm>
#include <functional>

#include "registry/Error.h"

namespace regbridge::addon {

namespace {
// At most this many calls run as one group: a bigger one would only delay the first answers.
constexpr std::size_t kMaxGroupedCalls = 1024;
} // namespace

void CallQueue::push(napi_env env, std::unique_ptr<QueuedCall> call) {
  {
    std::lock_guard lock(mutex_);
    queued_.push_back(std::move(call));
  }
  if (work_) return; // the work item running now, or its completion, takes it
  try {
    schedule(env);
  } catch (...) {
    std::lock_guard lock(mutex_);
    if (!queued_.empty()) {
      queued_.back()->drop(env);
      queued_.pop_back();
    }
    throw;
  }
}

void CallQueue::schedule(napi_env env) {
  napi_value name;
  check(env, napi_create_string_utf8(env, "regbridge", NAPI_AUTO_LENGTH, &name));
  check(env, napi_create_async_work(env, nullptr, name, &execute, &complete, this, &work_));
  if (napi_status status = napi_queue_async_work(env, work_); status != napi_ok) {
    napi_delete_async_work(env, work_);
    work_ = nullptr;
    check(env, status);
  }
  keepAlive_ = shared_from_this();
}

// On a thread-pool thread: no JS, no exception out. The group takes the calls queued when it starts and those made
// while it runs, up to its save: a program's next writes, made while this group was waiting for the store, join it.
void CallQueue::execute(napi_env, void* data) noexcept {
  auto* self = static_cast<CallQueue*>(data);
  class Calls final : public GroupItems {
  public:
    explicit Calls(CallQueue& queue) : queue_(queue) {}
    bool next(std::function<void()>& item) override {
      QueuedCall* call = nullptr;
      {
        std::lock_guard lock(queue_.mutex_);
        if (queue_.queued_.empty() || queue_.running_.size() >= kMaxGroupedCalls) return false;
        if (!queue_.queued_.front()->mutates()) return false; // a read waits for this group's save
        queue_.running_.push_back(std::move(queue_.queued_.front()));
        queue_.queued_.pop_front();
        call = queue_.running_.back().get();
      }
      item = [call] { call->run(); };
      return true;
    }

  private:
    CallQueue& queue_;
  };
  std::shared_ptr<Backend> backend;
  std::size_t reads = 0;
  {
    std::lock_guard lock(self->mutex_);
    if (self->queued_.empty()) return;
    backend = self->queued_.front()->sharedBackend();
    // Reads at the head of the queue run here one after another, outside any group: they need no writer lock (a group
    // would take the store's, and fail where a wineserver holds the prefix), and they see the saves of the writes
    // before them.
    while (!self->queued_.empty() && !self->queued_.front()->mutates() && reads < kMaxGroupedCalls) {
      self->running_.push_back(std::move(self->queued_.front()));
      self->queued_.pop_front();
      ++reads;
    }
  }
  if (reads > 0) {
    self->outcomes_.assign(reads, nullptr);
    for (std::size_t i = 0; i < reads; ++i) {
      try {
        self->running_[i]->run();
      } catch (...) {
        self->outcomes_[i] = std::current_exception();
      }
    }
    return;
  }
  try {
    Calls calls(*self);
    self->outcomes_ = backend->runGrouped(calls);
  } catch (...) {
    // Only memory can fail outside the calls: each call not known to have succeeded fails with it.
    std::lock_guard lock(self->mutex_);
    self->outcomes_.resize(self->running_.size());
    for (auto& outcome : self->outcomes_)
      if (!outcome) outcome = std::current_exception();
  }
}

// On the JS thread, also when the environment is going away (then napi calls fail and we only clean up).
void CallQueue::complete(napi_env env, napi_status status, void* data) noexcept {
  auto* self = static_cast<CallQueue*>(data);
  std::shared_ptr<CallQueue> keepAlive = std::move(self->keepAlive_);
  napi_delete_async_work(env, self->work_);
  self->work_ = nullptr;
  std::vector<std::unique_ptr<QueuedCall>> running;
  running.swap(self->running_);
  std::vector<std::exception_ptr> outcomes;
  outcomes.swap(self->outcomes_);
  if (status != napi_ok) {
    // Torn down (a worker_thread ended with calls in flight): no promise can be settled any more.
    for (auto& call : running) call->drop(env);
    std::lock_guard lock(self->mutex_);
    for (auto& call : self->queued_) call->drop(env);
    self->queued_.clear();
    return;
  }
  // The next group first, so that it starts while these promises settle; calls made by their reactions join it
  // while it runs, or make the group after.
  bool more;
  {
    std::lock_guard lock(self->mutex_);
    more = !self->queued_.empty();
  }
  if (more) {
    try {
      self->schedule(env);
    } catch (...) {
      // No work item can be had: the calls waiting fail rather than wait forever.
      std::deque<std::unique_ptr<QueuedCall>> failed;
      {
        std::lock_guard lock(self->mutex_);
        failed.swap(self->queued_);
      }
      auto why = std::make_exception_ptr(RegistryError(ErrorCode::Internal, "the call could not be queued"));
      for (auto& call : failed) call->settle(env, why);
    }
  }
  for (std::size_t i = 0; i < running.size(); ++i) running[i]->settle(env, i < outcomes.size() ? outcomes[i] : nullptr);
}

} // namespace regbridge::addon
