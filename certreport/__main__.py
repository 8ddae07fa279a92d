from certreport.cli import main

main()
