#!/bin/sh
# Redraws the scoring register's forms (issue 20) on a fresh demo store: 涪陵 rules and items
# on 青山村, six households of 第一组 scored for 2026-11 (one with a negative-list item, two
# with photos), the month approved, then the forms saved as PNG pages here.
set -e
B=${JIFEN:-target/debug/jifen}
export JIFEN_DATA=$(mktemp -d) JIFEN_PIN=1234
$B demo --seed-only >/dev/null
$B --staff 1 policy set 青山村 fixtures/policies/fuling.toml >/dev/null
$B --staff 1 items import fixtures/register/fuling_items.xlsx --village 青山村 --year 2026
printf '\377\330photo' > "$JIFEN_DATA/yard.jpg"
for h in 101001 101002 101003 101004 101005 101006; do
  for i in 1 2 3 4 5 6; do $B --staff 1 event add $h $i --date 2026-11-28 --basis onsite >/dev/null; done
done
$B --staff 1 event add 101001 美化民居 --date 2026-10-10 >/dev/null
$B --staff 1 event add 101001 净化环境 --date 2026-11-12 --place 彭杰宝家院坝 --what 门前三包落实，庭院整洁 --evidence "$JIFEN_DATA/yard.jpg"
$B --staff 1 event add 101001 助人为乐 --date 2026-11-18 --place 第一组 --what 帮助独居老人收稻谷 --basis vote
$B --staff 1 event add 101002 孝老爱亲 --date 2026-11-20 --what 照料卧病婆婆 --basis recommended
$B --staff 1 event add 101003 违规办酒 --date 2026-11-22 --place 村口 --what 升学宴大操大办
$B --staff 1 event add 101004 热心公益 --date 2026-11-09 --place 青山村广场 --what 参加志愿服务队 --evidence "$JIFEN_DATA/yard.jpg"
$B --staff 1 month approve --group 青山村/一组 --period 2026-11 --approved-by 王建华,李国强,赵秀英 | tail -1
$B notice household 101001 --year 2026 --out docs/notices/register-household-101001-2026.png
$B notice group-summary --group 青山村一组 --period 2026-11 --out docs/notices/register-group-summary-2026-11.png
$B items show 青山村 --out docs/notices/register-items-2026.png
$B check
