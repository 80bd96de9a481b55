#include <cotdyn/analysis/sweep/sweep_mpi.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <mpi.h>
#include <oneapi/tbb/info.h>

#include <cotdyn/core/output.hpp>
#include <cotdyn/analysis/sweep/chunk_file.hpp>
#include <cotdyn/analysis/sweep/sweep_directory.hpp>

namespace cotdyn::sweep {

namespace {

class MpiSession {
 public:
  MpiSession() {
    int initialised = 0;
    MPI_Initialized(&initialised);
    if (!initialised) MPI_Init(nullptr, nullptr);
    owner_ = !initialised;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    // Ranks sharing a node share its cores: each gets its part, so the node is not oversubscribed.
    MPI_Comm node;
    MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node);
    MPI_Comm_size(node, &ranks_on_node_);
    MPI_Comm_free(&node);
  }
  ~MpiSession() {
    if (owner_) MPI_Finalize();
  }
  int rank() const { return rank_; }
  int size() const { return size_; }
  int ranks_on_node() const { return ranks_on_node_; }

 private:
  bool owner_ = false;
  int rank_ = 0, size_ = 1, ranks_on_node_ = 1;
};

// Rank 0's string (e.g. an error message) on every rank.
std::string broadcast(const std::string& text) {
  std::int64_t length = static_cast<std::int64_t>(text.size());
  MPI_Bcast(&length, 1, MPI_INT64_T, 0, MPI_COMM_WORLD);
  std::string out = text;
  out.resize(static_cast<std::size_t>(length));
  if (length > 0) MPI_Bcast(out.data(), static_cast<int>(length), MPI_CHAR, 0, MPI_COMM_WORLD);
  return out;
}

std::vector<std::uint64_t> broadcast(std::vector<std::uint64_t> values) {
  std::int64_t length = static_cast<std::int64_t>(values.size());
  MPI_Bcast(&length, 1, MPI_INT64_T, 0, MPI_COMM_WORLD);
  values.resize(static_cast<std::size_t>(length));
  if (length > 0) MPI_Bcast(values.data(), static_cast<int>(length), MPI_UINT64_T, 0, MPI_COMM_WORLD);
  return values;
}

// Every rank's `text` concatenated on rank 0.
std::string gather_on_root(const std::string& text, const MpiSession& mpi) {
  const int length = static_cast<int>(text.size());
  std::vector<int> lengths(mpi.rank() == 0 ? mpi.size() : 0), offsets(lengths.size());
  MPI_Gather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
  std::string all;
  if (mpi.rank() == 0) {
    std::size_t total = 0;
    for (int r = 0; r < mpi.size(); ++r) {
      offsets[r] = static_cast<int>(total);
      total += static_cast<std::size_t>(lengths[r]);
    }
    all.resize(total);
  }
  MPI_Gatherv(text.data(), length, MPI_CHAR, all.data(), lengths.data(), offsets.data(), MPI_CHAR, 0, MPI_COMM_WORLD);
  return all;
}

}  // namespace

bool mpi_available() { return true; }

std::optional<SweepSummary> run_sweep_mpi(const PreparedSweep& sweep, const SweepOptions& options, std::ostream& log) {
  if (!options.shard.whole())
    throw std::invalid_argument("--mpi and --shard (or a Slurm job array) cannot be combined: use one of them");
  MpiSession mpi;
  SweepSummary summary;
  summary.directory = options.out;
  summary.points = summary.in_shard = sweep.point_count;
  core::Manifest manifest("sweep", sweep.plan.base);

  // Rank 0 owns the directory: it checks and prepares it and decides which points remain. Every rank
  // derives the same chunks from the finished points it receives.
  std::string error;
  std::vector<std::uint64_t> finished_list;
  if (mpi.rank() == 0) {
    try {
      prepare_sweep_directory(summary.directory, sweep.sweep_json(Shard{}), options.resume);
      const auto finished = finished_points(summary.directory, sweep.point_count, Shard{});
      for (std::size_t i = 0; i < finished.size(); ++i)
        if (finished[i]) finished_list.push_back(i);
      summary.already_finished = finished_list.size();
    } catch (const std::exception& e) {
      error = e.what();
    }
  }
  error = broadcast(error);
  if (!error.empty()) throw std::invalid_argument(mpi.rank() == 0 ? error : "rank 0: " + error);
  finished_list = broadcast(finished_list);
  std::vector<bool> finished(sweep.point_count, false);
  for (const auto i : finished_list) finished[static_cast<std::size_t>(i)] = true;
  const auto todo = chunks_to_run(sweep, Shard{}, finished);
  std::size_t todo_points = 0;
  for (const auto& chunk : todo) todo_points += chunk.points.size();

  // The chunks are dealt round-robin over the ranks.
  std::vector<Chunk> mine;
  for (std::size_t k = static_cast<std::size_t>(mpi.rank()); k < todo.size(); k += static_cast<std::size_t>(mpi.size()))
    mine.push_back(todo[k]);
  // Ranks on one node share its cores: each rank's points (and their intra-op threads) get its share.
  const int cores = std::max(1, oneapi::tbb::info::default_concurrency() / std::max(1, mpi.ranks_on_node()));
  const int workers = options.threads > 0 ? options.threads : cores;
  if (mpi.rank() == 0)
    log << fmt::format("cotdyn sweep {}: {} {} points over {} MPI ranks ({} threads each); {} already finished, "
                       "running {} in {} chunks -> {}\n",
                       sweep.sweep_id, summary.points, to_string(sweep.plan.kind), mpi.size(), workers,
                       summary.already_finished, todo_points, todo.size(), summary.directory.string())
        << std::flush;

  const auto start = std::chrono::steady_clock::now();
  std::mutex mutex;
  std::string outgoing;  // the other ranks' chunk files, one after another
  std::size_t ran = 0, failed = 0, chunks = 0;
  run_chunks(sweep, mine, workers, [&](const Chunk& chunk, std::vector<PointEntry>&& entries) {
    std::size_t errors = 0;
    for (const auto& entry : entries) errors += entry.error.empty() ? 0 : 1;
    const std::size_t count = entries.size();
    if (mpi.rank() == 0) {
      write_chunk_file(summary.directory, sweep.sweep_id, sweep.point_count, chunk.first, chunk.end, std::move(entries));
    } else {
      ChunkFile file;
      file.header = {sweep.sweep_id, chunk.first, chunk.end, count};
      file.entries = std::move(entries);
      const std::string text = chunk_text(file);
      std::lock_guard<std::mutex> lock(mutex);
      outgoing += text;
    }
    std::lock_guard<std::mutex> lock(mutex);
    ran += count;
    failed += errors;
    ++chunks;
  }, cores);

  const std::string incoming = gather_on_root(outgoing, mpi);
  std::uint64_t counts[3] = {ran, failed, chunks}, totals[3] = {0, 0, 0};
  MPI_Reduce(counts, totals, 3, MPI_UINT64_T, MPI_SUM, 0, MPI_COMM_WORLD);
  if (mpi.rank() != 0) return std::nullopt;

  for (auto& chunk : parse_chunk_texts(incoming, "the other ranks' chunks"))
    write_chunk_file(summary.directory, sweep.sweep_id, sweep.point_count, chunk.header.first, chunk.header.end,
                     std::move(chunk.entries));
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  summary.ran = totals[0];
  summary.failed = totals[1];
  summary.chunks_written = totals[2];
  summary.interrupted = summary.ran < todo_points;
  manifest.json()["mpi_ranks"] = mpi.size();
  write_sweep_results(sweep, summary, Shard{}, workers * mpi.size(), manifest, log);
  return summary;
}

}  // namespace cotdyn::sweep
