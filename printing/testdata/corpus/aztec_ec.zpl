^XA
^MMT
^MTT
^MNW
^PON
^PMN
^LH0,0
^LS0
^LT0
^CI13
^PW480
^LL320
^MD10
^PR4

^FO65,70
^BON,5,,23
^FDPart:123;Warehouse:BYZA;Position:12-12-1^FS

^FO65,250
^BON,5,,45
^FDPart:123;Warehouse:BYZA;Position:12-12-1^FS

^FO65,450
^BON,5,,70
^FDPart:123;Warehouse:BYZA;Position:12-12-1^FS

^FO65,700
^BON,5,,95
^FDPart:123;Warehouse:BYZA;Position:12-12-1^FS

^PQ1,0,1,Y
^XZ
