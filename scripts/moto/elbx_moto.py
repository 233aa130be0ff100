"""moto_server with elbx's fidelity patches (elbx_patches.py), in moto's own process.

Started by scripts/lib/moto.js with the Python interpreter moto_server runs under, so this imports
the same moto. Arguments are moto_server's (-H host -p port ...), plus:
  --unpatched   run moto as it is, saying which behaviours then differ from AWS
                (also ELBX_MOTO_UNPATCHED=1)
The SSL table comes from elbx's src/policy through the environment (ELBX_MOTO_SSL_TABLE, a JSON
file written by scripts/lib/moto.js).
"""

import json
import os
import sys

# The moto releases these patches were written and tested against. They wrap moto's internal
# model methods, which change between releases without notice.
TESTED_MOTO_VERSIONS = ("5.2.1",)

# Exit status of a refusal to start, so the launcher can tell it from a crash.
EXIT_REFUSED = 3


def differences(patches) -> str:
    return "\n".join(f"  - {p.unpatched}" for p in patches)


def main(argv: list) -> None:
    unpatched = "--unpatched" in argv or os.environ.get("ELBX_MOTO_UNPATCHED") == "1"
    argv = [a for a in argv if a != "--unpatched"]

    import moto

    version = moto.__version__
    if not unpatched and version not in TESTED_MOTO_VERSIONS:
        sys.stderr.write(
            f"elbx's moto patches were tested with moto {', '.join(TESTED_MOTO_VERSIONS)}, and this is moto {version}"
            f" ({os.path.dirname(moto.__file__)}).\n"
            f"Install a tested release (pip install 'moto[server]=={TESTED_MOTO_VERSIONS[-1]}'),"
            " or run moto unpatched with --unpatched (npm run moto -- --unpatched) or ELBX_MOTO_UNPATCHED=1,"
            " knowing it then differs from AWS.\n"
        )
        sys.exit(EXIT_REFUSED)

    import elbx_patches

    if unpatched:
        sys.stderr.write(
            f"elbx: moto {version} runs UNPATCHED. Where it differs from AWS, so do the demo, tests and benchmarks:\n"
            f"{differences(elbx_patches.PATCHES)}\n"
        )
    else:
        table_file = os.environ.get("ELBX_MOTO_SSL_TABLE")
        if not table_file:
            sys.stderr.write("ELBX_MOTO_SSL_TABLE is unset: start moto with scripts/lib/moto.js (npm run moto).\n")
            sys.exit(EXIT_REFUSED)
        with open(table_file, encoding="utf-8") as f:
            elbx_patches.apply(json.load(f))

    from moto.server import main as moto_server_main

    moto_server_main(argv)


if __name__ == "__main__":
    main(sys.argv[1:])
