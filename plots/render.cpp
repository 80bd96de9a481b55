#include <cotdyn/plots/render.hpp>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>

#include <fmt/format.h>

#include <cotdyn/plots/atomic_write.hpp>

extern char** environ;

namespace cotdyn::plots {

namespace {

struct ProcessResult {
  int exit_status;  // exit code, or 128 + signal
  std::string stderr_text;
};

// Runs `argv` in `working_dir` with stdout discarded and stderr captured.
ProcessResult run_process(const std::vector<std::string>& argv, const std::filesystem::path& working_dir) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0)
    throw std::runtime_error(fmt::format("cannot create a pipe: {}", std::strerror(errno)));

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addchdir_np(&actions, working_dir.c_str());
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);

  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  pid_t pid = 0;
  const int spawn_error = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  if (spawn_error != 0) {
    ::close(pipe_fds[0]);
    throw std::runtime_error(fmt::format("cannot run '{}' in '{}': {}", argv[0], working_dir.string(),
                                         std::strerror(spawn_error)));
  }

  ProcessResult result{0, {}};
  char chunk[4096];
  for (;;) {
    const ssize_t n = ::read(pipe_fds[0], chunk, sizeof chunk);
    if (n > 0) {
      result.stderr_text.append(chunk, static_cast<std::size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  ::close(pipe_fds[0]);

  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

}  // namespace

RenderResult render_figure(const std::filesystem::path& script, const RenderOptions& options) {
  const auto absolute = std::filesystem::absolute(script);
  if (!std::filesystem::is_regular_file(absolute))
    throw std::runtime_error(fmt::format("gnuplot script '{}' does not exist", script.string()));
  if (absolute.filename().string().find('\'') != std::string::npos)
    throw std::runtime_error(fmt::format("gnuplot script name '{}' must not contain a quote", script.string()));
  const auto dir = absolute.parent_path();
  RenderResult result;
  for (const auto& term : options.terminals) {
    const auto output = dir / (absolute.stem().string() + "." + term);
    const auto tmp = temporary_sibling(output);
    // Only the terminal and output name come from outside; everything else is in the script.
    const std::string settings = fmt::format("term='{}'; outfile='{}'", term, tmp.filename().string());
    ProcessResult run;
    try {
      run = run_process({options.gnuplot, "-e", settings, absolute.filename().string()}, dir);
    } catch (const std::runtime_error& e) {
      throw std::runtime_error(fmt::format("rendering '{}' failed: {} (is gnuplot installed?)", script.string(), e.what()));
    }
    std::error_code ec;
    const bool produced = std::filesystem::is_regular_file(tmp, ec) && std::filesystem::file_size(tmp, ec) > 0;
    if (run.exit_status != 0 || !produced) {
      std::filesystem::remove(tmp, ec);
      throw std::runtime_error(fmt::format(
          "rendering '{}' to {} failed: {} exited with status {}{}; gnuplot said:\n{}", script.string(), term,
          options.gnuplot, run.exit_status, produced ? "" : " and wrote no output", run.stderr_text));
    }
    std::filesystem::rename(tmp, output, ec);
    if (ec) {
      std::filesystem::remove(tmp, ec);
      throw std::runtime_error(fmt::format("cannot move the rendered figure to '{}'", output.string()));
    }
    result.outputs.push_back(output);
    result.messages += run.stderr_text;
  }
  return result;
}

std::vector<std::filesystem::path> render_directory(const std::filesystem::path& dir, const RenderOptions& options) {
  if (!std::filesystem::is_directory(dir))
    throw std::invalid_argument(fmt::format("plot directory '{}' is not a directory", dir.string()));
  std::vector<std::filesystem::path> scripts;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    const auto& p = entry.path();
    if (entry.is_regular_file() && p.extension() == ".gp" && p.filename().string().front() != '.')
      scripts.push_back(p);
  }
  if (scripts.empty())
    throw std::invalid_argument(fmt::format("plot directory '{}' holds no gnuplot script (*.gp)", dir.string()));
  std::sort(scripts.begin(), scripts.end());
  for (const auto& s : scripts) render_figure(s, options);
  return scripts;
}

}  // namespace cotdyn::plots
