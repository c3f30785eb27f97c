"""Cuspid 4.2: the courier firms' parcel label layouts (str.format of case=, now=), chosen by ?courier=."""
FORMATS = {
    "dpd": "DPD {case.track}\n{case.practice}\nFAO {case.dentist}\n{case.ref}  due {case.due}",
    "ups": "UPS 1Z {case.track}\nHarrow Dental Laboratory -> {case.practice}\n{case.ref} / {case.kind}",
    "royalmail": "RM Tracked 24  {case.track}\n{case.dentist}, {case.practice}\nref {case.ref}",
}
