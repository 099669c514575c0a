# shellcheck shell=bash
# Sourced by the step scripts: how the film is cut into chunks (S3D_CHUNK frames each, the
# last one shorter; S3D_FRAMES in all).

# chunk_range ID: sets `first` and `end`, the chunk's half-open range of global frame indices.
chunk_range() {
  first=$((10#$1 * S3D_CHUNK))
  end=$((first + S3D_CHUNK))
  if ((end > S3D_FRAMES)); then end=$S3D_FRAMES; fi
}
