module herbard

go 1.22
