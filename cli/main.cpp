// The `frontdoor` program; everything it does is in the frontdoor_cli library (cli/app.hpp).
#include "cli/app.hpp"

int main(int argc, char** argv) { return frontdoor::frontdoor_main(argc, argv); }
