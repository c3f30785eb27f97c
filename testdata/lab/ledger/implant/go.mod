module ledgergc

go 1.22
