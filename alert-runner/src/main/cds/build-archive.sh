#!/bin/sh
# Run by the build at package time, in target/: puts the launcher next to logalert.jar and lets a training run of it
# write the archive, logalert-<checksum>.jsa. Arguments: the launcher, the training configuration.
set -u
# a rebuilt jar needs a new archive: the old one goes first
rm -f logalert-*.jsa
cp "$1" logalert && chmod 755 logalert || exit 1
# the training run fails at its first request (nothing listens on port 9): its exit code is 1 by design, so the
# launcher is told to keep its archive all the same
LOGALERT_CDS=train ./logalert run --once --config "$2" > cds-training.log 2>&1
set -- logalert-*.jsa
if [ ! -s "$1" ]; then
    # a JVM without class-data sharing: the launcher starts without an archive, so the package is still whole
    echo "[WARNING] no class-data sharing archive was written; logalert starts without one. The training run said:" >&2
    cat cds-training.log >&2
fi
