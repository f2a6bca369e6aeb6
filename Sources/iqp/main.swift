print("iqp")
