^XA
^CI28
^PW800
^LL600

# Black background box
^FO0,0^GB800,600,800,B,0^FS

# White QR code on black background
# ^FR reverses field (makes it white on black)
^FO300,150^BQN,2,10^FR^FDQA,https://example.com^FS

# White text on black background
^CF0,40,40
^FO50,500^FR^FDWhite QR Code Example^FS

^XZ
