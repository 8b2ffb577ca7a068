#!/bin/sh
# Compiles and runs the intake probe (see probe.ts for its options): sh scripts/intake-probe/run.sh --rate 30 --seconds 60
set -e
cd "$(dirname "$0")/../.."
npx tsc scripts/intake-probe/probe.ts --outDir .cache/intake-probe --rootDir . --module node20 --moduleResolution node16 \
  --target ES2022 --esModuleInterop --resolveJsonModule --experimentalDecorators --emitDecoratorMetadata --skipLibCheck \
  --types node --noCheck
exec node .cache/intake-probe/scripts/intake-probe/probe.js "$@"
