^XA
^CI28
^FO180,50^A0N,50,50^FDRegistrere retur?^FS

^CFA,22
^FO100,120^FDScan QR-koden nedenfor med kamera-appen^FS
^FO100,150^FDpå din telefon, og du blir sendt til nettsiden^FS
^FO100,180^FDhvor du skal registrere din retur.^FS

^FO50,240^FDOm du ikke får scannet, kan du klikke deg inn på:^FS
^FO100,270^A0N,40,40^FDmerchant.no/registrer-retur^FS

^FO250,350^BQN,2,6^FDQA,https://system.com/#0000000000:test@ingrid.com:merchant?languageCode=no^FS

^FO50,700^A0N,22,22^FDOrdrenummer:^FS
^FO250,700^FD0000000000^FS

^FO50,760^A0N,22,22^FDE-postadresse:^FS
^FO250,760^FDtest@ingrid.com^FS

^FO50,860^FDOBS: Ikke klistre denne lappen på pakken.^FS
^FO50,890^FDDu vil få tilsendt returetikett på mail etter du har^FS
^FO50,920^FDregistrert returen din.^FS

^FO150,990^A0N,80,80^FDMerchant.no^FS
^XZ

