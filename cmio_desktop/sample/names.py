"""Name pools for the synthetic health system (diverse, plausible, fictional)."""

FIRST_NAMES = (
    "Amara Aisha Alejandro Alice Amir Ana Andre Anika Arjun Ava Benjamin Bianca Carlos Chen "
    "Chloe Chidi Daniel Deepa Diego Dmitri Elena Eli Emeka Emily Erin Fatima Felix Gabriel "
    "Grace Hannah Hiroshi Ibrahim Ines Isaac Isabel Jamal James Jasmine Javier Jia Jonah Jorge "
    "Julia Kai Kamala Karen Kenji Kwame Laila Lars Leah Liam Lina Lucas Luis Maya Marcus Maria "
    "Mateo Mei Michael Mohammed Nadia Naomi Nathan Nia Noah Olivia Omar Oscar Parisa Patrick "
    "Priya Rafael Rana Ravi Rebecca Rosa Ruth Samir Samuel Sara Sean Sofia Sunita Tanvir "
    "Teresa Thomas Tomas Uma Victor Wei Yara Yusuf Zainab Zoe Ngozi Oluwaseun Siobhan Mateus"
).split()

LAST_NAMES = (
    "Okafor Adeyemi Alvarez Anderson Bauer Bennett Brooks Castillo Chandra Chen Cohen Costa "
    "Das Delgado Diaz Dubois Edwards Eriksen Fischer Flores Garcia Gonzalez Gupta Haddad Hall "
    "Hansen Harris Hernandez Hoang Hughes Ibrahim Ito Jackson Jensen Johnson Kaur Kelly Khan "
    "Kim Kowalski Kumar Larsen Lee Lewis Lindqvist Lopez Martin Mbeki Mendez Miller Mitchell "
    "Moreau Murphy Nakamura Nguyen Novak O'Brien Okonkwo Olsen Ortiz Patel Perez Petrov "
    "Phillips Popescu Quinn Ramirez Reddy Reyes Robinson Rossi Russo Sanchez Santos Schmidt "
    "Shah Silva Singh Smith Sokolov Suzuki Tanaka Taylor Thompson Torres Tran Turner Vargas "
    "Walker Wang Watanabe Williams Wilson Wong Yamamoto Yilmaz Young Zhang Zimmerman"
).split()
