/* server.h -- rekeyd's processes: supervisor, workers, delivery process. */
#ifndef REKEY_SERVER_H
#define REKEY_SERVER_H

int server_main(int argc, char **argv);

#endif
