from sendplan.cli import main

main()
