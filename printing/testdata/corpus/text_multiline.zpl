^XA
^FB800,2,,C
^FO0,360,
^A0,40
^FD
First line of text\&
Second line of text\&
^FS
^XZ
