#!/usr/bin/env bash
# Build the NHS.UK look and feel into ../static (committed, so running the site needs no Node).
#   bash frontend/build.sh
# Installs the pinned packages with `npm ci`, compiles scss/main.scss to static/css/main.css,
# copies nhsuk-frontend's JS bundle and the assets our templates use, then checks that the
# CSS asks for nothing from another host and every url() it uses exists.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
static="$here/../static"
nhsuk="$here/node_modules/nhsuk-frontend/dist/nhsuk"

cd "$here"
npm ci --no-audit --no-fund

mkdir -p "$static/css" "$static/js" "$static/assets/images"

npx sass --no-source-map --style=compressed --load-path=node_modules \
  --silence-deprecation=import scss/main.scss "$static/css/main.css"

# Drop the sourceMappingURL comment: we do not ship the .map (browsers would ask for it, and
# Django's manifest storage fails collectstatic on a missing map named at the start of a line).
sed 's|//# sourceMappingURL=.*$||' "$nhsuk/nhsuk-frontend.min.js" > "$static/js/nhsuk-frontend.min.js"

# Every image the CSS points at, plus the favicons and manifest named in base.html.
rm -rf "$static/assets/images"
mkdir -p "$static/assets/images"
cp "$nhsuk"/assets/images/* "$static/assets/images/"
cp "$nhsuk/assets/manifest.json" "$static/assets/manifest.json"
# The Open Graph image is only useful with an absolute URL we do not set; skip its 30 kB.
rm -f "$static/assets/images/nhsuk-opengraph-image.png"

node "$here/check-css.mjs" "$static/css/main.css"
# The admin sites show the portal's header without loading main.css: copy just the header's rules.
python3 "$here/extract_admin_header.py"
echo "Built static/css/main.css, static/js/nhsuk-frontend.min.js and static/assets/"
