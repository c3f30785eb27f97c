module ledgerd

go 1.22
