#include "core/option_table.hpp"

#include <cmath>

namespace s3d {

bool Bounds::contains(double value) const {
  if (std::isnan(value)) return false;
  const bool above = lo_open ? value > lo : value >= lo;
  const bool below = hi_open ? value < hi : value <= hi;
  return above && below;
}

std::string Bounds::text() const {
  const bool no_lo = std::isinf(lo), no_hi = std::isinf(hi);
  if (no_lo && no_hi) return "";
  if (no_hi) return (lo_open ? "> " : ">= ") + format_real(lo);
  if (no_lo) return (hi_open ? "< " : "<= ") + format_real(hi);
  if (!lo_open && !hi_open) return format_real(lo) + ".." + format_real(hi);
  return (lo_open ? "(" : "[") + format_real(lo) + ", " + format_real(hi) + (hi_open ? ")" : "]");
}

}  // namespace s3d
