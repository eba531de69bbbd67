from ccus_records.cli.app import main

if __name__ == "__main__":
    main()
