// smmu-plan: thin glue; every command lives in cli/.
#include "cli/app.h"

int main(int argc, char** argv) { return smmu::cli::run(argc, argv); }
