#pragma once
// Everything a figure-making program needs: describe a Figure, then save_figure(figure, dir).
#include <cotdyn/plots/figure.hpp>       // Figure, Panel, Series, Range, KeyPosition
#include <cotdyn/plots/palette.hpp>      // palette_color(i): the default series colours
#include <cotdyn/plots/render.hpp>       // render_figure, render_directory (re-render existing scripts)
#include <cotdyn/plots/save_figure.hpp>  // write_figure, save_figure
