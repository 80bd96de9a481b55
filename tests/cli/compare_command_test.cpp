// `cotdyn compare` end to end on a small, fast configuration: every documented file with its columns,
// the discrepancy and lock-on tables, and bad input that exits non-zero naming the key and writes nothing.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace fs = std::filesystem;

#include <cotdyn/tests/cli/command_test_helpers.hpp>
namespace {
// A task small enough to lock on within t = 6 (about 2 s for both d): S3 with two actions, L = 3, a
// larger attention init and learning rate. The ODE puts the lock-on at t_1/2 = 2.14.
const int L = 3;
const std::vector<int> dims = {16, 32};
const int times_per_run = 13;
const std::string small_config = fmt::format(
    "--set task.group=S3 --set 'task.actions=[[1,0,2],[0,2,1]]' --set task.L={} --set model.sigma2=0.1 "
    "--set train.eta_A=10 --set train.t_max=6 --set train.seeds=2 --set observe.times=linear:0:t_max:{} "
    "--set 'compare.d=[{},{}]'",
    L, times_per_run, dims[0], dims[1]);

fs::path scratch(const std::string& name) { return cotdyn::testing::scratch_directory("compare_cmd", name); }

int run(const std::string& arguments, const fs::path& log) { return cotdyn::testing::run_cotdyn(arguments, log); }

std::string read(const fs::path& path) { return cotdyn::testing::read_text(path); }

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> fields;
  std::stringstream in(line);
  for (std::string field; std::getline(in, field, ',');) fields.push_back(field);
  if (!line.empty() && line.back() == ',') fields.emplace_back();
  return fields;
}

struct Csv {
  std::string header;
  std::vector<std::vector<std::string>> rows;
};

Csv read_csv(const fs::path& path) {
  std::ifstream in(path);
  Csv csv;
  std::getline(in, csv.header);
  for (std::string line; std::getline(in, line);) csv.rows.push_back(split(line));
  return csv;
}

// The small compare run into DIR/out; fails the test case if it does not succeed.
fs::path run_small_compare(const fs::path& dir, const std::string& extra = "--no-render") {
  const fs::path out = dir / "out";
  const int status = run(fmt::format("compare {} {} --out '{}'", small_config, extra, out.string()), dir / "log");
  const std::string log = read(dir / "log");
  INFO(log);
  REQUIRE(status == 0);
  return out;
}
}  // namespace

TEST_CASE("the compare test's d values obey the model's divisibility rule: d even with (L-1) | d/2") {
  for (int d : dims) {
    CAPTURE(d);
    CHECK(d % 2 == 0);
    CHECK((d / 2) % (L - 1) == 0);
  }
}

TEST_CASE("cotdyn compare writes every documented file with the documented CSV columns") {
  const fs::path dir = scratch("files");
  const fs::path out = run_small_compare(dir, "");
  const std::map<std::string, std::string> headers = {
      {"discrepancy.csv", "d,quantity,rms,max,seed_std,sem,z_rms,z_max,t_z_max"},
      {"finite_size_fit.csv", "quantity,exponent,exponent_stderr,prefactor"},
      {"lock_on.csv", "d,seed,t_half,ode_t_half"},
      {"theory.csv", "d,t,M,alpha,R,Q,P,N,loss,step_acc_inf,rollout_acc_inf,final_acc_inf,step_acc_ld,rollout_acc_ld,final_acc_ld"},
      {"simulation.csv",
       "seed,d,step,t,M,alpha,R,Q,P,R_c,Q_c,P_c,N,loss,step_acc,rollout_acc,final_acc,var_image,var_other"},
      {"simulation_summary.csv",
       "d,step,t,seeds,M_mean,M_std,alpha_mean,alpha_std,R_mean,R_std,Q_mean,Q_std,P_mean,P_std,R_c_mean,R_c_std,"
       "Q_c_mean,Q_c_std,P_c_mean,P_c_std,N_mean,N_std,loss_mean,loss_std,step_acc_mean,step_acc_std,"
       "rollout_acc_mean,rollout_acc_std,final_acc_mean,final_acc_std,var_image_mean,var_image_std,"
       "var_other_mean,var_other_std"}};
  for (const auto& [file, header] : headers) {
    CAPTURE(file);
    REQUIRE(fs::is_regular_file(out / file));
    CHECK(read_csv(out / file).header == header);
    CHECK(!read_csv(out / file).rows.empty());
  }
  CHECK(fs::is_regular_file(out / "report.md"));
  CHECK(fs::is_regular_file(out / "manifest.json"));
  for (const char* figure : {"order_parameters", "accuracy", "finite_size"})
    for (const char* extension : {"gp", "png", "pdf"}) {
      const fs::path file = out / "figures" / fmt::format("{}.{}", figure, extension);
      CAPTURE(file);
      REQUIRE(fs::is_regular_file(file));
      CHECK(fs::file_size(file) > 1000);
    }
  // theory.csv: the ODE on each d's own observation times, one block per d.
  const Csv theory = read_csv(out / "theory.csv");
  CHECK(theory.rows.size() == dims.size() * times_per_run);
  CHECK(theory.rows.front()[0] == "16");
  CHECK(theory.rows.back()[0] == "32");
  fs::remove_all(dir);
}

TEST_CASE("discrepancy.csv holds the nine compared quantities for each d, with max >= RMS >= 0") {
  const fs::path dir = scratch("discrepancy");
  const fs::path out = run_small_compare(dir);
  const Csv table = read_csv(out / "discrepancy.csv");
  const std::vector<std::string> quantities = {"M", "alpha", "R", "Q", "R_c", "Q_c", "step_acc", "rollout_acc", "final_acc"};
  REQUIRE(table.rows.size() == quantities.size() * dims.size());
  for (std::size_t k = 0; k < dims.size(); ++k)
    for (std::size_t q = 0; q < quantities.size(); ++q) {
      const auto& row = table.rows[k * quantities.size() + q];
      CAPTURE(k);
      CAPTURE(q);
      REQUIRE(row.size() == 9);
      CHECK(row[0] == std::to_string(dims[k]));
      CHECK(row[1] == quantities[q]);
      const double rms = std::stod(row[2]), max = std::stod(row[3]), seed_std = std::stod(row[4]);
      CHECK(std::isfinite(rms));
      CHECK(rms >= 0);
      CHECK(max >= rms * (1 - 1e-12));
      CHECK(seed_std >= 0);
      // Two seeds: the standard error s.d.(ddof 1) / sqrt(2) equals the ddof-0 s.d.; a z-score where it is > 0.
      const double sem = std::stod(row[5]);
      CHECK(sem == doctest::Approx(seed_std).epsilon(1e-9));
      if (!row[6].empty()) {
        CHECK(std::stod(row[6]) >= 0);
        CHECK(std::abs(std::stod(row[7])) >= std::stod(row[6]) * (1 - 1e-12));  // the largest |z| bounds its RMS
      }
    }
  // R is the seeds' logit-space overlap: they differ, so the seed standard deviation is not zero.
  CHECK(std::stod(table.rows[2][4]) > 0);
  // Two d values: the finite-size fit has an exponent per quantity, and no standard error (empty cell).
  const Csv fit = read_csv(out / "finite_size_fit.csv");
  CHECK(fit.rows.size() == quantities.size());
  for (const auto& row : fit.rows) {
    CAPTURE(row[0]);
    REQUIRE(row.size() == 4);
    CHECK(std::isfinite(std::stod(row[1])));
    CHECK(row[2].empty());
  }
  fs::remove_all(dir);
}

TEST_CASE("lock_on.csv gives each seed's lock-on time beside the ODE's, and the manifest their mean") {
  const fs::path dir = scratch("lock_on");
  const fs::path out = run_small_compare(dir);
  const Csv table = read_csv(out / "lock_on.csv");
  REQUIRE(table.rows.size() == dims.size() * 2);
  REQUIRE(table.rows[0].size() == 4);
  const double ode = std::stod(table.rows[0][3]);
  // docs/theory.md §6: t_1/2 ~ K L sqrt(n asinh(M_1/2 / sigma2) / ((K-1) eta_A eta_W)), a few % from the ODE.
  const double n = 6, K = 2, M_half = (L - 1.0) / L * std::log(L - 1.0);
  const double estimate = K * L * std::sqrt(n * std::asinh(M_half / 0.1) / ((K - 1) * 10.0 * 10.0));
  CHECK(ode == doctest::Approx(estimate).epsilon(0.15));
  const auto manifest = nlohmann::json::parse(read(out / "manifest.json"));
  CHECK(manifest["results"]["ode_lock_on_time"].get<double>() == doctest::Approx(ode).epsilon(1e-15));
  for (std::size_t k = 0; k < dims.size(); ++k) {
    double sum = 0;
    for (std::size_t s = 0; s < 2; ++s) {
      const auto& row = table.rows[2 * k + s];
      CAPTURE(k);
      CAPTURE(s);
      REQUIRE(row.size() == 4);
      CHECK(row[0] == std::to_string(dims[k]));
      CHECK(row[1] == std::to_string(s));  // train.seed = 0: run i uses seed i
      REQUIRE(!row[2].empty());
      const double t_half = std::stod(row[2]);
      CHECK(t_half > 0.5 * ode);  // the same transition, not a stray crossing
      CHECK(t_half < 2.0 * ode);
      CHECK(std::stod(row[3]) == ode);
      sum += t_half;
    }
    const auto& lock = manifest["results"]["lock_on_time"][std::to_string(dims[k])];
    CHECK(lock["mean"].get<double>() == doctest::Approx(sum / 2).epsilon(1e-12));
    CHECK(lock["std"].get<double>() >= 0);
    CHECK(manifest["results"]["staged_learning_observed"][std::to_string(dims[k])].is_boolean());
  }
  fs::remove_all(dir);
}

namespace {
// Bad input: exit status 2, a message naming the key and the value, and no output directory.
// `short_run`: with train.t_max = 2 (models whose time is their own key set no train.t_max).
void check_refused(const std::string& name, const std::string& settings, const std::vector<std::string>& message,
                   bool short_run = true) {
  const fs::path dir = scratch(name);
  const fs::path out = dir / "out";
  CHECK(run(fmt::format("compare {} {} --out '{}'", short_run ? "--set train.t_max=2" : "", settings, out.string()),
            dir / "log") == 2);
  const std::string log = read(dir / "log");
  CAPTURE(log);
  for (const auto& part : message) CHECK(log.find(part) != std::string::npos);
  CHECK(!fs::exists(out));
  fs::remove_all(dir);
}
}  // namespace

TEST_CASE("compare.seeds sets the seeds per d and the Gram flow faces the order parameters in its own space") {
  const fs::path dir = scratch("gram_seeds");
  const fs::path out = dir / "out";
  REQUIRE(run(fmt::format("compare {} --set 'compare.seeds=[2,3]' --set theory.finite_size=gram --set theory.gram_draws=2 "
                          "--out '{}'", small_config, out.string()),
              dir / "log") == 0);
  // simulation.csv: seeds 0, 1 at d = 16 and 0, 1, 2 at d = 32.
  const Csv simulation = read_csv(out / "simulation.csv");
  std::map<std::string, std::set<std::string>> seeds;
  const auto header = split(simulation.header);
  const auto column = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  for (const auto& row : simulation.rows) seeds[row[column("d")]].insert(row[column("seed")]);
  CHECK(seeds["16"].size() == 2);
  CHECK(seeds["32"].size() == 3);
  // theory.csv carries the flow's columns; discrepancy.csv holds R_c against it, not against the ODE's R.
  const Csv theory = read_csv(out / "theory.csv");
  for (const char* c : {"R_c_gram", "Q_c_gram", "Q_gram_sd"}) CHECK(theory.header.find(c) != std::string::npos);
  const std::string report = read(out / "report.md");
  CHECK(report.find("The finite-d theory: the Gram flow") != std::string::npos);
  CHECK(report.find("Seeds for a given precision") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("compare refuses compare.seeds of the wrong length or below 2, and an unknown theory.finite_size") {
  check_refused("seeds_length", "--set 'compare.d=[16,32]' --set 'compare.seeds=[3]'",
                {"compare.seeds has 1 entries and compare.d 2"});
  check_refused("seeds_one", "--set 'compare.d=[16,32]' --set 'compare.seeds=[3,1]'", {"compare.seeds contains 1"});
  check_refused("finite_size", "--set 'compare.d=[16,32]' --set theory.finite_size=exact",
                {"theory.finite_size = \"exact\"", "\"gram\""});
  check_refused("gram_draws", "--set 'compare.d=[16,32]' --set theory.finite_size=gram --set theory.gram_draws=0",
                {"theory.gram_draws = 0"});
}

TEST_CASE("compare refuses an empty d list, naming compare.d, and writes nothing") {
  check_refused("empty_d", "--set 'compare.d=[]'", {"compare.d = []"});
}

TEST_CASE("compare refuses a d that breaks the model's divisibility rule, naming compare.d, the d and 2(L-1)") {
  // L = 9: d must be a multiple of 16. 24 is even and d/2 = 12, but L - 1 = 8 does not divide 12.
  check_refused("divisibility", "--set 'compare.d=[16,24]'", {"compare.d contains 24", "2(L-1) = 16"});
}

TEST_CASE("compare refuses fewer than two seeds, naming train.seeds, and writes nothing") {
  check_refused("one_seed", "--set 'compare.d=[16,32]' --set train.seeds=1", {"train.seeds = 1", "at least 2 seeds"});
}

TEST_CASE("compare refuses a committee learning rate above the ODE's stable range, naming committee.eta and the time") {
  check_refused("committee_eta", "--set model.kind=committee --set committee.eta=50 --set 'compare.d=[50,100]'",
                {"committee.eta = 50", "the ODE diverges at t = ", "Q_", "above the stable range"});
}

TEST_CASE("compare of the committee machine: the N column, its figures, t_spec per seed and the aligned overlaps") {
  const fs::path dir = scratch("committee");
  const fs::path out = dir / "out";
  REQUIRE(run(fmt::format("compare --no-render --set model.kind=committee --set 'compare.d=[50,100]' --set train.t_max=20 "
                          "--set observe.times=log:0.1:t_max:10 --out '{}'",
                          out.string()),
              dir / "log") == 0);
  CHECK(read_csv(out / "simulation.csv").header.rfind("seed,N,step,t,eg,", 0) == 0);
  CHECK(read_csv(out / "discrepancy.csv").header == "N,quantity,rms,max,seed_std,sem,z_rms,z_max,t_z_max");
  CHECK(read_csv(out / "theory.csv").header.rfind("N,t,eg,", 0) == 0);
  for (const char* figure : {"comparison", "learning_curve", "overlaps", "R_one_seed"}) {
    CAPTURE(figure);
    CHECK(fs::exists(out / "figures" / (std::string(figure) + ".gp")));
    CHECK(fs::exists(out / "figures" / (std::string(figure) + "_p1_s1.dat")));
  }
  CHECK(read(out / "report.md").find("figures/learning_curve") != std::string::npos);
  // The model's additions: t_spec per seed, and R and Q aligned to each seed's ODE beside the unaligned.
  CHECK(read_csv(out / "specialisation_times.csv").header == "N,seed,t_spec_simulation,t_spec_own_ode,t_spec_mean_ode");
  CHECK(read_csv(out / "student_permutations.csv").header == "N,seed,student_0,student_1");
  const std::string discrepancy = read(out / "discrepancy.csv");
  CHECK(discrepancy.find("\n100,R_1_0,") != std::string::npos);
  CHECK(discrepancy.find("\n100,R_1_0_aligned,") != std::string::npos);
  CHECK(discrepancy.find("\n50,Q_0_1_aligned,") != std::string::npos);
  CHECK(read(out / "report.md").find("## Specialisation time per seed") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("compare refuses the tree model's bad input, naming the key, and writes nothing") {
  check_refused("tree_nodes", "--set model.kind=tree --set tree.N=10", {"tree.N = 10", "at least n_T"});
  check_refused("tree_depth", "--set model.kind=tree --set tree.D=0", {"tree.D = 0"});
  check_refused("tree_heads", "--set model.kind=tree --set tree.heads=0", {"tree.heads = 0"});
  check_refused("tree_task", "--set model.kind=tree --set tree.task=sideways", {"tree.task = \"sideways\"", "\"forward\""});
  check_refused("tree_storage", "--set model.kind=tree --set tree.storage=tensor --set 'compare.d=[16,32]'",
                {"compare.d contains 16", "tree.d = 16 is not allowed with tree.storage = \"tensor\"", "d >= N = 20"});
}

TEST_CASE("compare of the Boolean-DAG experiment: regimes.csv, the signal tables, its figures and the prediction checks") {
  const fs::path dir = scratch("natbool");
  const fs::path out = dir / "out";
  REQUIRE(run(fmt::format("compare --no-render --set model.kind=natbool --set natbool.m=6 --set natbool.d=16 "
                          "--set natbool.heads=2 --set natbool.batch=16 --set natbool.n_test=32 --set natbool.cap=10 "
                          "--set natbool.eval_every=5 --set 'natbool.signal_r=[2, 3, 4]' --set 'compare.d=[2, 4]' "
                          "--set train.seeds=2 --out '{}'",
                          out.string()),
              dir / "log") == 0);
  CHECK(read_csv(out / "simulation.csv").header.rfind("seed,r,step,t,acc_direct,", 0) == 0);
  CHECK(read_csv(out / "regimes.csv").header ==
        "regime,r,seed,steps95,steps99,final_acc,latent_acc,steps_per_answer,signal_init");
  const std::string regimes = read(out / "regimes.csv");
  CHECK(regimes.find("\ndirect,2,0,") != std::string::npos);
  CHECK(regimes.find("\nexplicit,2,") == std::string::npos);  // at r = 2 only direct runs
  CHECK(regimes.find("\naligned,4,1,") != std::string::npos);
  CHECK(read_csv(out / "signal_summary.csv").header.rfind("r,direct,direct_qk,implicit_answer,", 0) == 0);
  CHECK(read_csv(out / "predictions.csv").header == "name,prediction,measured,verdict");
  for (const char* figure : {"natbool_accuracy", "natbool_steps", "natbool_signal"}) {
    CAPTURE(figure);
    CHECK(fs::exists(out / "figures" / (std::string(figure) + ".gp")));
  }
  CHECK_FALSE(fs::exists(out / "discrepancy.csv"));  // no trajectory to compare
  const std::string report = read(out / "report.md");
  CHECK(report.find("## Predictions against measurement") != std::string::npos);
  CHECK(report.find("B2 implicit answer") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("compare refuses the natbool model's bad input, naming the key, and writes nothing") {
  check_refused("natbool_r", "--set model.kind=natbool --set natbool.r=13", {"natbool.r = 13"}, false);
  check_refused("natbool_shape", "--set model.kind=natbool --set natbool.shape=star", {"natbool.shape"}, false);
  check_refused("natbool_cap", "--set model.kind=natbool --set natbool.cap=20", {"natbool.cap = 20", "eval_every = 50"},
                false);
  check_refused("natbool_t_max", "--set model.kind=natbool --set train.t_max=20", {"train.t_max = 20", "natbool.cap"}, false);
}

// A small two-hop graph and network: a few seconds.
const std::string two_hop_small =
    "--set model.kind=two_hop --set two_hop.entities=60 --set two_hop.relations=8 --set two_hop.out_degree=4 "
    "--set two_hop.ood_ratio=0.2 --set two_hop.lambda=1 --set two_hop.width=16 --set two_hop.heads=2 "
    "--set two_hop.batch=16 --set two_hop.steps=6 --set two_hop.eval_every=3 --set two_hop.lens_items=10";

TEST_CASE("compare of the two-hop experiment: accuracy.csv, lens.csv, bypass.csv, its figures and the prediction checks") {
  const fs::path dir = scratch("two_hop");
  const fs::path out = dir / "out";
  REQUIRE(run(fmt::format("compare --no-render {} --set 'compare.d=[1, 2]' --out '{}'", two_hop_small, out.string()),
              dir / "log") == 0);
  CHECK(read_csv(out / "simulation.csv").header.rfind("seed,layers,step,t,loss_cot,id_atomic_cot,", 0) == 0);
  CHECK(read_csv(out / "accuracy.csv").header ==
        "layers,arm,step,loss,id_atomic,ood_atomic,train_inferred,test_inferred_iid,test_inferred_ood,ood_first_only,"
        "ood_second_only,bridge_ood");
  const std::string accuracy = read(out / "accuracy.csv");
  CHECK(accuracy.find("\n1,cot,6,") != std::string::npos);
  CHECK(accuracy.find("\n2,no_cot,0,") != std::string::npos);
  CHECK(read_csv(out / "lens.csv").header == "layers,arm,step,position,block,mrr_mean,mrr_sd");
  CHECK(read(out / "lens.csv").find("\n2,cot,6,t_b,2,") != std::string::npos);
  // The per-block bypass, after every other column of simulation.csv, finite and non-negative.
  CHECK(read_csv(out / "simulation.csv").header.find(",lens_b_r2_no_cot_2,bypass_r2_cot_1,bypass_r2_cot_2,bypass_b_cot_1,"
                                                       "bypass_b_cot_2,bypass_r2_no_cot_1,bypass_r2_no_cot_2") !=
        std::string::npos);
  // Depth 1 has fewer per-block columns than depth 2: its rows carry nan under depth 2's extra columns.
  const Csv simulation = read_csv(out / "simulation.csv");
  const auto header = split(simulation.header);
  const auto extra = std::size_t(std::find(header.begin(), header.end(), "bypass_r2_cot_2") - header.begin());
  REQUIRE(extra < header.size());
  for (const auto& row : simulation.rows) {
    REQUIRE(row.size() == header.size());
    CHECK((row[extra] == "nan") == (row[1] == "1"));
  }
  const Csv bypass = read_csv(out / "bypass.csv");
  CHECK(bypass.header == "layers,arm,step,position,block,bypass_mean,bypass_sd");
  // Per evaluation (0, 3, 6): depth 1 has 3 rows (r2 and b for CoT, r2 for no-CoT), depth 2 has 6.
  CHECK(bypass.rows.size() == 3 * (3 + 6));
  for (const auto& row : bypass.rows) {
    CAPTURE(row[0] + "," + row[1] + "," + row[2] + "," + row[3] + "," + row[4]);
    REQUIRE(row.size() == 7);
    CHECK(std::isfinite(std::stod(row[5])));
    CHECK(std::stod(row[5]) >= 0);
  }
  CHECK(read(out / "bypass.csv").find("\n2,cot,6,b,2,") != std::string::npos);
  CHECK(read_csv(out / "predictions.csv").header == "name,prediction,measured,verdict");
  for (const char* figure : {"two_hop_accuracy", "two_hop_lens"}) {
    CAPTURE(figure);
    CHECK(fs::exists(out / "figures" / (std::string(figure) + ".gp")));
  }
  CHECK_FALSE(fs::exists(out / "discrepancy.csv"));  // no trajectory to compare
  const std::string report = read(out / "report.md");
  CHECK(report.find("P-b5 one block suffices with CoT") != std::string::npos);
  CHECK(report.find("## Two-hop reasoning: CoT against no-CoT") != std::string::npos);
  CHECK(report.find("### Per-block attention bypass (measured; no prediction)") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("two-hop: a dataset written by cotdyn dataset in the public format trains through two_hop.dataset") {
  const fs::path dir = scratch("two_hop_dataset");
  REQUIRE(run(fmt::format("dataset {} --out '{}'", two_hop_small, (dir / "data").string()), dir / "log") == 0);
  for (const char* file : {"train.json", "test.json", "vocab.json", "manifest.json"}) CHECK(fs::exists(dir / "data" / file));
  const fs::path out = dir / "out";
  REQUIRE(run(fmt::format("compare --no-render {} --set 'compare.d=[1]' --set two_hop.dataset='\"{}\"' --out '{}'",
                          two_hop_small, (dir / "data").string(), out.string()),
              dir / "log") == 0);
  // The public format has no one-hop-OOD sets: their columns are empty and the product rule is not tested.
  const std::string accuracy = read(out / "accuracy.csv");
  CHECK(accuracy.find("\n1,cot,6,") != std::string::npos);
  CHECK(accuracy.find(",,,") != std::string::npos);
  CHECK(read(out / "report.md").find("the task data has no one-hop-OOD sets") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("compare refuses the two-hop model's bad input, naming the key or file, and writes nothing") {
  check_refused("two_hop_ood", "--set model.kind=two_hop --set two_hop.ood_ratio=0", {"two_hop.ood_ratio = 0"}, false);
  check_refused("two_hop_degree", "--set model.kind=two_hop --set two_hop.out_degree=21", {"two_hop.out_degree = 21"}, false);
  check_refused("two_hop_lambda", "--set model.kind=two_hop --set two_hop.lambda=12", {"two_hop.lambda = 12", "out_degree"},
                false);
  const fs::path empty = scratch("two_hop_empty_dataset");
  fs::create_directories(empty);
  check_refused("two_hop_dataset", fmt::format("--set model.kind=two_hop --set two_hop.dataset='\"{}\"'", empty.string()),
                {"two_hop.dataset", "train.json"}, false);
  fs::remove_all(empty);
}
