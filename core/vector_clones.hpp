#pragma once
// COTDYN_VECTOR_CLONES: compile a kernel once more for AVX2 and AVX-512 and pick the clone at run time
// (GCC's and Clang's target_clones, x86-64 only), so that loops over a row run 4 or 8 doubles wide
// instead of SSE2's 2. The rule that keeps every clone's results identical: the source file is
// compiled with -ffp-contract=off (no fused multiply-add), and no vectorised loop is a reduction (the
// compiler does not reorder one without -ffast-math). The numbers then depend neither on the clone nor
// on the processor.
#if defined(__x86_64__) && defined(__has_attribute)
#if __has_attribute(target_clones)
#define COTDYN_VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#endif
#endif
#ifndef COTDYN_VECTOR_CLONES
#define COTDYN_VECTOR_CLONES
#endif
