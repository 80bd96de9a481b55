#pragma once
// Everything a figure-making program needs: describe a Figure, then save_figure(figure, dir).
#include "plots/figure.hpp"       // Figure, Panel, Series, Range, KeyPosition
#include "plots/palette.hpp"      // palette_color(i): the default series colours
#include "plots/render.hpp"       // render_figure, render_directory (re-render existing scripts)
#include "plots/save_figure.hpp"  // write_figure, save_figure
