// Promo week assets: a banner sprite (ImageMagick) and its CSS.
const { execFileSync, spawnSync } = require("child_process");
const fs = require("fs");
fs.mkdirSync("dist", { recursive: true });
const colours = ["#c0392b", "#27ae60", "#2980b9"];
colours.forEach((c, i) => execFileSync("convert", ["-size", "120x40", "xc:" + c, `dist/tile-${i}.png`]));
const r = spawnSync("/bin/sh", ["-c", "convert dist/tile-*.png +append dist/promo-sprite.png && ls -l dist"], { encoding: "utf8" });
process.stdout.write(r.stdout);
fs.writeFileSync("dist/promo.css", colours.map((c, i) => `.promo-${i}{background:url(promo-sprite.png) -${i * 120}px 0}`).join("\n") + "\n");
console.log("built", fs.readdirSync("dist").length, "files");
