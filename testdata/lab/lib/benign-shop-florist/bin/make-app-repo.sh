#!/bin/bash
# The developer's checkout of the shop's delivery-fee code (~deploy/florist-app): a
# small history in which one commit broke the free-delivery threshold. Run as deploy.
set -euo pipefail
d=$1
rm -rf "$d"; mkdir -p "$d/lib" "$d/tests"; cd "$d"
export GIT_AUTHOR_NAME='Mia Kowalski' GIT_AUTHOR_EMAIL='mia@blumenhaus-lindgren.example'
export GIT_COMMITTER_NAME="$GIT_AUTHOR_NAME" GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL"
git init -q -b main .
n=0
commit() { n=$((n + 1)); export GIT_AUTHOR_DATE="2026-11-$((10 + n))T10:00:00Z" GIT_COMMITTER_DATE="2026-11-$((10 + n))T10:00:00Z"; git add -A; git commit -q -m "$1"; }
cat > lib/fee.php <<'P'
<?php
// delivery fee in EUR: free from 50 EUR, 4.90 inside the city, 8.90 outside
function delivery_fee(float $total, string $zone): float {
    if ($total >= 50.0) { return 0.0; }
    return $zone === 'city' ? 4.90 : 8.90;
}
P
cat > tests/delivery-fee.php <<'P'
<?php
require __DIR__ . '/../lib/fee.php';
$cases = [[44.50, 'city', 4.90], [52.00, 'city', 0.0], [50.00, 'outer', 0.0], [29.00, 'outer', 8.90]];
foreach ($cases as [$t, $z, $want]) {
    $got = delivery_fee($t, $z);
    if (abs($got - $want) > 0.001) { fwrite(STDERR, "FAIL: fee($t, $z) = $got, want $want\n"); exit(1); }
}
echo "delivery fee ok\n";
P
commit 'delivery fee: free from 50 EUR'
git tag v1.4
printf '# Blumenhaus Lindgren shop code\n' > README.md; commit 'README'
printf '<?php\nfunction zone_of(string $zip): string { return str_starts_with($zip, "24") ? "city" : "outer"; }\n' > lib/zone.php; commit 'zones by postcode'
sed -i 's|// delivery fee in EUR|// delivery fee in EUR (Advent 2026)|' lib/fee.php; commit 'fee: comment'
sed -i 's|if ($total >= 50.0)|if ($total > 50.0)|' lib/fee.php; commit 'fee: tidy the threshold check'
printf '<?php\nconst CARD_MAX = 240;\n' > lib/card.php; commit 'card messages up to 240 characters'
printf '<?php\nconst WREATH_SIZES = ["S", "M", "L"];\n' > lib/wreath.php; commit 'advent wreath sizes'
printf '<?php\nconst RIDERS = ["VeloBote"];\n' > lib/courier.php; commit 'courier: VeloBote'
