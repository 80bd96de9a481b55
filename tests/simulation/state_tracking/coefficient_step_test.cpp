// The coefficient storage's CPU step (coefficient_step.hpp): the partial logits P it keeps beside C
// give the logits that C gives, its seeds may run on several threads without changing a bit, and a
// checkpoint without P resumes with P computed from C, and one with C in the canonical layout resumes
// with C stored by current state again; the tensor form, which other devices run, trains the same model.
#include <ATen/ATen.h>
#include <ATen/core/grad_mode.h>
#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include <cotdyn/simulation/state_tracking/coefficient_logic_model.hpp>
#include <cotdyn/simulation/state_tracking/measure.hpp>
#include <cotdyn/simulation/state_tracking/settings.hpp>

// c10 logging (glog) defines CHECK; the assertions here are doctest's.
#undef CHECK
#include <doctest/doctest.h>

using namespace cotdyn::simulation;

namespace {

constexpr int seeds = 3, d = 32, L = 9, B = 4;
const auto f64 = at::TensorOptions().dtype(at::kDouble);

ModelInitialisation initialisation() {
  const auto task = default_permutation_task();
  return draw_initialisation(task.num_states(), task.num_actions(), d, 0.01, {21, 22, 23});
}

struct Batch {
  at::Tensor actions, states, targets;  // [E, B, L], [E, B, L+1], [E, B, L]
};

// Step `step`'s batch: B sequences per seed, each seed its own.
Batch batch_at(int step) {
  const auto task = default_permutation_task();
  std::vector<at::Tensor> actions, states;
  for (int e = 0; e < seeds; ++e) {
    EvaluationSet set = make_evaluation_set(task, L, B, 1000 * step + e, at::kCPU);
    actions.push_back(set.actions);
    states.push_back(set.states);
  }
  Batch batch{at::stack(actions), at::stack(states), {}};
  batch.targets = clean_targets(batch.states);
  return batch;
}

// The mean loss of each seed on the batch, through logits(), i.e. through T = G_u C G_e G_u from C.
at::Tensor loss_from_coefficients(const CoefficientLogicModel& model, const Batch& batch) {
  at::NoGradGuard no_grad;
  at::Tensor w = model.action_weights(model.attention(), batch.actions);
  at::Tensor z = model.logits(w, batch.states.narrow(2, 0, L).reshape({seeds, -1}));
  at::Tensor target = batch.targets.reshape({seeds, -1});
  return (z.logsumexp(2) - z.gather(2, target.unsqueeze(2)).squeeze(2)).mean(1);
}

at::Tensor step(CoefficientLogicModel& model, const Batch& batch) {
  return model.closed_form_step(batch.actions, batch.states, batch.targets, 10.0, 2.0);
}

double relative_gap(const at::Tensor& a, const at::Tensor& b) {
  return ((a - b).abs().max() / b.abs().max()).item<double>();
}

}  // namespace

TEST_CASE("the coefficient step's logits from P equal the logits from C after 300 steps (1e-12)") {
  CoefficientLogicModel model(initialisation(), L, f64);
  for (int t = 0; t < 300; ++t) {
    const Batch batch = batch_at(t);
    const at::Tensor expected = loss_from_coefficients(model, batch);
    const at::Tensor loss = step(model, batch);  // computed with the rows of T from P, before the update
    if (t % 50 == 0 || t == 299) REQUIRE(relative_gap(loss, expected) < 1e-12);
  }
  at::NoGradGuard no_grad;
  CHECK(model.coefficients().abs().max().item<double>() > 0.1);  // C has moved far from 0
}

TEST_CASE("the coefficient step gives the same bits on one thread and on two") {
  CoefficientLogicModel serial(initialisation(), L, f64, 1), parallel(initialisation(), L, f64, 2);
  for (int t = 0; t < 50; ++t) {
    const Batch batch = batch_at(t);
    REQUIRE(at::equal(step(serial, batch), step(parallel, batch)));
  }
  CHECK(at::equal(serial.coefficients(), parallel.coefficients()));
  CHECK(at::equal(serial.query(), parallel.query()));
  CHECK(at::equal(serial.key(), parallel.key()));
}

TEST_CASE("a checkpoint holds P, and one written without P resumes with P from C") {
  CoefficientLogicModel trained(initialisation(), L, f64);
  for (int t = 0; t < 40; ++t) step(trained, batch_at(t));
  torch::serialize::OutputArchive full, without_P;
  trained.save(full);
  trained.StateTrackingModel::save(without_P);  // as written before P was kept
  const std::string full_path = "coefficient_step_test_full.pt", old_path = "coefficient_step_test_old.pt";
  full.save_to(full_path);
  without_P.save_to(old_path);

  CoefficientLogicModel resumed(initialisation(), L, f64), resumed_old(initialisation(), L, f64);
  torch::serialize::InputArchive full_in, old_in;
  full_in.load_from(full_path);
  old_in.load_from(old_path);
  resumed.load(full_in);
  resumed_old.load(old_in);
  for (int t = 40; t < 45; ++t) {
    const Batch batch = batch_at(t);
    const at::Tensor loss = step(trained, batch);
    CHECK(at::equal(step(resumed, batch), loss));                  // bit for bit
    CHECK(relative_gap(step(resumed_old, batch), loss) < 1e-12);  // P recomputed: its last bits differ
  }
  CHECK(at::equal(resumed.coefficients(), trained.coefficients()));
}

TEST_CASE("C is stored by current state, and a checkpoint of C laid out [s', a, s] resumes bit for bit") {
  CoefficientLogicModel reference(initialisation(), L, f64), canonical(initialisation(), L, f64);
  for (int t = 0; t < 40; ++t) {
    step(reference, batch_at(t));
    step(canonical, batch_at(t));
  }
  {
    at::NoGradGuard no_grad;
    at::Tensor C = canonical.coefficients();  // the model's own C, relaid [s', a, s] in memory as before
    C.set_(C.contiguous());
  }
  CHECK(at::equal(canonical.coefficients(), reference.coefficients()));
  CHECK_THROWS(step(canonical, batch_at(40)));  // the step refuses C in another layout than its own
  torch::serialize::OutputArchive out;
  canonical.save(out);
  const std::string path = "coefficient_step_test_canonical.pt";
  out.save_to(path);

  CoefficientLogicModel resumed(initialisation(), L, f64);
  torch::serialize::InputArchive in;
  in.load_from(path);
  resumed.load(in);
  for (int t = 40; t < 45; ++t) {
    const Batch batch = batch_at(t);
    CHECK(at::equal(step(resumed, batch), step(reference, batch)));
  }
  CHECK(at::equal(resumed.coefficients(), reference.coefficients()));
  CHECK(at::equal(resumed.query(), reference.query()));
}

TEST_CASE("the CPU step and the device-agnostic tensor form of the step train the same model (300 steps, 1e-12)") {
  CoefficientLogicModel cpu(initialisation(), L, f64), tensors(initialisation(), L, f64);
  for (int t = 0; t < 300; ++t) {
    const Batch batch = batch_at(t);
    const at::Tensor loss = step(cpu, batch);
    const at::Tensor expected = tensors.closed_form_step_tensors(batch.actions, batch.states, batch.targets, 10.0, 2.0);
    if (t % 50 == 0 || t == 299) REQUIRE(relative_gap(loss, expected) < 1e-12);
  }
  at::NoGradGuard no_grad;
  CHECK(tensors.coefficients().abs().max().item<double>() > 0.1);  // C has moved far from 0
  CHECK(relative_gap(cpu.coefficients(), tensors.coefficients()) < 1e-12);
  CHECK(relative_gap(cpu.query(), tensors.query()) < 1e-12);
  CHECK(relative_gap(cpu.key(), tensors.key()) < 1e-12);
  CHECK(relative_gap(cpu.logit_tensor(), tensors.logit_tensor()) < 1e-12);
}
