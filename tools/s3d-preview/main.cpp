// s3d-preview: see preview_command.hpp (the tool is a library function, so tests can run it in-process).
#include "cli/command_line.hpp"
#include "s3d-preview/preview_command.hpp"

int main(int argc, char** argv) { return s3d::tools::preview_main(s3d::cli::arguments(argc, argv)); }
