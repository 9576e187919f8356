#!/bin/sh
# Run by the build at package time, in target/: puts the launcher next to logalert.jar and lets a training run of it
# write logalert.jsa and its stamp. Arguments: the launcher, the training configuration.
set -u
# a rebuilt jar needs a new archive: the old one and its stamp go first
rm -f logalert.jsa logalert.jsa.stamp
cp "$1" logalert && chmod 755 logalert || exit 1
# the training run fails at its first request (nothing listens on port 9): its exit code is 1 by design
./logalert run --once --config "$2" > cds-training.log 2>&1
if [ ! -s logalert.jsa ] || [ ! -s logalert.jsa.stamp ]; then
    # a JVM without class-data sharing: the launcher starts without an archive, so the package is still whole
    echo "[WARNING] no class-data sharing archive was written; logalert starts without one. The training run said:" >&2
    cat cds-training.log >&2
fi
