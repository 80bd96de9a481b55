#pragma once
// The figures of the ablation study (data + gnuplot script + PNG + PDF, through plots/):
//  * ablation_overlay: per d, the seed-mean correct-lag weight alpha(t) and exact-match rollout
//    accuracy of every variant against the ODE (alpha) and the logit-distribution prediction at that
//    d (rollout), one panel per quantity;
//  * ablation_summary: per d, each variant's lock-on time (mean ± s.d. over seeds; filled marker with
//    error bar) against the solvable model's ODE (black line, dashed ± 10 %), a variant's own ODE
//    (open circle, single_lr) and no lock-on (open triangle at t_max); and its RMS distance from the
//    ODE of alpha (circle), R (square) and Q (triangle), log scale. Variants are numbered and
//    coloured as in the overlay's key (the order of ablation.csv).
#include <filesystem>
#include <vector>

#include <cotdyn/analysis/ablate/ablation_study.hpp>
#include <cotdyn/plots/figure.hpp>

namespace cotdyn::ablate {

// The colour of variant k in both figures (the ODE is black).
std::string variant_color(std::size_t k);

// The two figures, described (for a caller that saves them itself, e.g. a notebook).
std::vector<plots::Figure> ablation_figures(const AblationOutcome& outcome, const AblationInput& input);

// Saves them into `directory` (data + .gp, and PNG + PDF unless `render` is false).
void write_ablation_figures(const AblationOutcome& outcome, const AblationInput& input,
                            const std::filesystem::path& directory, bool render = true);

}  // namespace cotdyn::ablate
