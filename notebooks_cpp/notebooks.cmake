# The notebooks this build can run, shared by notebooks_cpp/CMakeLists.txt and the tests
# (tests/notebooks_cpp/), which are configured before this folder. Each entry is NAME:FIGURE, the
# executable is notebook_NAME and it writes FIGURE.png/.pdf/.gp, report.md and manifest.json.
#   01-03, 07 and 16 train the transformer, 08 the committee machine, 11-14 the tree network and 15 the two-hop
#   arms (LibTorch); 04, 06, 09 and
#   10 are theory only; 05 measures with LibTorch when the measurement library is built and states in its report
#   when it is not.
set(COTDYN_ALL_NOTEBOOKS 01_staged_learning 02_rollout_transition 03_finite_size 04_plateau_length
    05_interaction_signals 06_phase_diagram 07_ablations 08_committee_plateau 09_committee_overparameterisation
    10_tree_epsilon 11_tree_depth_transfer 12_tree_phases 13_tree_finite_size 14_tree_critical_epsilon
    15_two_hop_lambda 16_gram_flow)

function(cotdyn_available_notebooks out)
  set(notebooks)
  if(TARGET cotdyn_simulation AND TARGET cotdyn_compare)
    list(APPEND notebooks
      01_staged_learning:staged_learning
      02_rollout_transition:rollout_transition
      03_finite_size:finite_size
      16_gram_flow:gram_flow)
  endif()
  if(TARGET cotdyn_meanfield AND TARGET cotdyn_compare)
    list(APPEND notebooks 04_plateau_length:plateau_length)
  endif()
  if(TARGET cotdyn_interaction)
    list(APPEND notebooks 05_interaction_signals:interaction_signals)
  endif()
  if(TARGET cotdyn_sweep)
    list(APPEND notebooks 06_phase_diagram:phase_diagram)
  endif()
  if(TARGET cotdyn_ablate_simulation)
    list(APPEND notebooks 07_ablations:ablation_overlay)
  endif()
  if(TARGET cotdyn_simulation_committee)
    list(APPEND notebooks 08_committee_plateau:committee_plateau)
  endif()
  if(TARGET cotdyn_meanfield_committee)
    list(APPEND notebooks 09_committee_overparameterisation:overparameterisation)
  endif()
  if(TARGET cotdyn_meanfield_tree)
    list(APPEND notebooks 10_tree_epsilon:tree_epsilon)
  endif()
  if(TARGET cotdyn_simulation_tree)
    list(APPEND notebooks 11_tree_depth_transfer:tree_depth_transfer 12_tree_phases:tree_phases
         13_tree_finite_size:tree_finite_size_study 14_tree_critical_epsilon:tree_critical_epsilon)
  endif()
  if(TARGET cotdyn_simulation_two_hop)
    list(APPEND notebooks 15_two_hop_lambda:two_hop_lambda)
  endif()
  set(${out} ${notebooks} PARENT_SCOPE)
endfunction()
