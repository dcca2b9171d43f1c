print("gonet")
