# alice: the theme vendor's new release, checked before use
mkdir -p ~/releases && cd ~/releases
curl -fsSO http://127.0.0.1:8000/shop-theme-2026.12.tgz
curl -fsSO http://127.0.0.1:8000/SHA256SUMS
sha256sum -c SHA256SUMS
tar tzf shop-theme-2026.12.tgz | head -n 5
