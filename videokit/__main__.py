from videokit.cli import main

main()
