// [ablate] -> the study's variants: the defaults, the switch names and their config assignments, and
// bad values rejected with messages that name the key, the value and the allowed names.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include <cotdyn/core/config.hpp>
#include <cotdyn/analysis/ablate/variants.hpp>

using namespace cotdyn;
using namespace cotdyn::ablate;

namespace {
std::vector<std::string> names(const AblateSettings& s) {
  std::vector<std::string> out;
  for (const auto& v : s.variants) out.push_back(v.name);
  return out;
}
}  // namespace

TEST_CASE("the default [ablate] is the baseline, every switch once and three pairs at d = 32, 64 with 3 seeds") {
  const AblateSettings s = resolve_ablate_settings(core::Config());
  CHECK(s.dims == std::vector<int>{32, 64});
  CHECK(s.seeds == 3);
  const auto n = names(s);
  REQUIRE(n.size() == 13);
  CHECK(n.front() == "baseline");
  CHECK(s.variants.front().is_baseline());
  CHECK(s.variants.front().assignments.empty());
  for (const char* expected :
       {"train_embeddings", "content_qk", "rope=geometric", "causal_attention", "logic_module=mlp",
        "logic_module=bilinear_residual", "single_lr", "optimizer=adam", "logic_init=0.1",
        "content_qk+rope=geometric", "train_embeddings+logic_module=mlp", "single_lr+optimizer=adam"})
    CHECK_MESSAGE(std::find(n.begin(), n.end(), expected) != n.end(), expected);
  // A pair is both switches' assignments.
  const auto& pair = *std::find_if(s.variants.begin(), s.variants.end(),
                                   [](const Variant& v) { return v.name == "content_qk+rope=geometric"; });
  CHECK(pair.switches == std::vector<std::string>{"content_qk", "rope=geometric"});
  CHECK(pair.assignments == std::vector<std::string>{"ablation.content_qk=true", "ablation.rope=\"geometric\""});
}

TEST_CASE("a variant's config turns on exactly its switches at its d and seed count") {
  const core::Config base;
  const AblateSettings s = resolve_ablate_settings(base);
  for (const auto& v : s.variants) {
    CAPTURE(v.name);
    const core::Config c = variant_config(base, v, 48, 3);
    CHECK(c.get_integer("model.d") == 48);
    CHECK(c.get_integer("train.seeds") == 3);
    const bool embeddings = c.get_bool("ablation.train_embeddings");
    CHECK(embeddings == (v.name.find("train_embeddings") != std::string::npos));
    CHECK((c.get_string("ablation.rope") == "geometric") == (v.name.find("rope=geometric") != std::string::npos));
    CHECK((c.get_string("ablation.optimizer") == "adam") == (v.name.find("optimizer=adam") != std::string::npos));
    CHECK((c.get_number("ablation.logic_init") == 0.1) == (v.name == "logic_init=0.1"));
  }
}

TEST_CASE("single_lr is compared with the ODE at eta_A = eta_W, every other switch with the solvable model's") {
  meanfield::ModelParameters p;
  p.eta_W = 10;
  p.eta_A = 2;
  const AblateSettings s = resolve_ablate_settings(core::Config());
  for (const auto& v : s.variants) {
    CAPTURE(v.name);
    const bool single = v.name.find("single_lr") != std::string::npos;
    CHECK(theory_parameters(p, v).eta_A == (single ? 10.0 : 2.0));
    CHECK(theory_parameters(p, v).eta_W == 10.0);
  }
}

TEST_CASE("bad [ablate] values are errors naming the key, the value and what is allowed") {
  const auto fails = [](const std::string& assignment, const std::string& message) {
    core::Config c;
    c.apply_set(assignment);
    CAPTURE(assignment);
    CHECK_THROWS_WITH_AS(resolve_ablate_settings(c), doctest::Contains(message.c_str()), std::invalid_argument);
  };
  fails("ablate.switches=[\"baseline\", \"rope=fancy\"]", "ablate.switches contains \"rope=fancy\": unknown switch");
  fails("ablate.switches=[\"dropout\"]", "allowed are \"baseline\" and train_embeddings, content_qk, rope=geometric");
  fails("ablate.switches=[\"single_lr\", \"single_lr\"]", "ablate.switches contains \"single_lr\" twice");
  fails("ablate.switches=[\"logic_init=abc\"]", "logic_init=X needs a number X > 0");
  fails("ablate.switches=[\"logic_init=0\"]", "logic_init=X needs a number X > 0");
  fails("ablate.pairs=[[\"logic_module=mlp\", \"logic_module=bilinear_residual\"]]", "a pair needs two different switches");
  fails("ablate.pairs=[[\"content_qk\"]]", "must be a list of pairs of switch names");
  fails("ablate.pairs=[[\"content_qk\", \"baseline\"]]", "\"baseline\" (every switch off) cannot be combined");
  fails("ablate.pairs=[[\"content_qk\", \"warp\"]]", "ablate.pairs contains \"warp\": unknown switch");
  fails("ablate.d=[]", "ablate.d = []");
  fails("ablate.d=[32, 32]", "ablate.d contains 32 twice");
  fails("ablate.seeds=0", "ablate.seeds = 0");
  fails("ablation.content_qk=true", "ablation.content_qk = true: cotdyn ablate needs every [ablation] switch off");
  fails("ablation.rope=geometric", "ablation.rope = \"geometric\"");
  core::Config empty;
  empty.apply_set("ablate.switches=[]");
  empty.apply_set("ablate.pairs=[]");
  CHECK_THROWS_WITH_AS(resolve_ablate_settings(empty), doctest::Contains("both empty"), std::invalid_argument);
}

TEST_CASE("logic_init takes any positive number and variant names become file-safe slugs") {
  core::Config c;
  c.apply_set("ablate.switches=[\"logic_init=0.25\", \"train_embeddings\"]");
  c.apply_set("ablate.pairs=[]");
  const auto s = resolve_ablate_settings(c);
  REQUIRE(s.variants.size() == 2);
  CHECK(s.variants[0].assignments == std::vector<std::string>{"ablation.logic_init=0.25"});
  CHECK(variant_slug("content_qk+rope=geometric") == "content_qk+rope-geometric");
  CHECK(variant_slug("logic_init=0.1") == "logic_init-0.1");
}

TEST_CASE("every switch names the restriction it lifts, logic_init at any value") {
  for (const auto& s : known_switches()) CHECK_MESSAGE(!s.restriction.empty(), s.name);
  CHECK(restriction_of("rope=geometric") == "3: RoPE frequencies commensurate with the lag");
  CHECK(restriction_of("logic_init=0.25") == "zero initial logic tensor");
  CHECK(restriction_of("single_lr") == "6: separate learning rates eta_A, eta_W");
  CHECK(restriction_of("dropout").empty());
}
